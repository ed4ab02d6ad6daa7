#!/usr/bin/env bash
# Builds and runs examples/lab-junit (a lab user's own Maven project: its own pom, depending on
# the deployed io.dualsock:dualsock-lab artifact, JUnit 5, Surefire) the four ways issue #19's
# acceptance names, and checks each outcome in Surefire's console output and XML reports:
#   (a) as root, `mvn test`: every lab class runs and passes;
#   (b) as an unprivileged user (uid 65534, no CI variable, offline against a world-readable copy
#       of the local repository made as root): every lab class is skipped, with the reason;
#   (c) the same user with CI=true: the build fails with the reason; with CI=true and
#       -Ddualsock.lab.required=false it is skipped again;
#   (d) `mvn dependency:tree` shows no picocli (the lab artifact carries no command line).
# Needs root (the lab itself, and setpriv to become the unprivileged user). The artifacts are
# deployed into target/lab-junit/repo; the builds use target/lab-junit/m2, which takes the rest
# from ~/.m2/repository (DS_M2_SOURCE) read as a remote file repository: nothing is written there.
#   examples/lab-junit/check.sh [--no-build]    --no-build: reuse target/lab-junit/repo
set -euo pipefail
EX=$(dirname "$(readlink -f "$0")")
ROOT=$(cd "$EX/../.." && pwd)
work=$ROOT/target/lab-junit
repo=$work/repo m2=$work/m2
src_m2=${DS_M2_SOURCE:-$HOME/.m2/repository}
CLASSES=(OwnProgramsLabTest LabServersLabTest)
NOBODY=65534

if [[ $(id -u) != 0 ]]; then
  [[ ${CI:-} == true ]] && { echo "lab-junit check: needs root (CI=true)" >&2; exit 1; }
  echo "lab-junit check: skipped, it needs root (the lab, and setpriv to the unprivileged user)"; exit 0
fi

mkdir -p "$work"
cat > "$work/settings.xml" <<XML
<settings>
  <profiles><profile><id>lab-junit</id>
    <repositories>
      <repository><id>dualsock-built</id><url>file://$repo</url><snapshots><enabled>true</enabled></snapshots></repository>
      <repository><id>user-m2</id><url>file://$src_m2</url><snapshots><enabled>false</enabled></snapshots></repository>
    </repositories>
    <pluginRepositories>
      <pluginRepository><id>user-m2</id><url>file://$src_m2</url></pluginRepository>
    </pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>lab-junit</activeProfile></activeProfiles>
</settings>
XML
if [[ ${1:-} != --no-build ]]; then
  rm -rf "$repo"
  echo "== deploying dualsock-lab and what it needs into $repo"
  (cd "$ROOT" && mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$m2" deploy -pl lab -am -DskipTests \
      -Dmaven.install.skip=true -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -DaltDeploymentRepository=lab-junit::file://"$repo")
fi
rm -rf "$m2/io/dualsock"

failed=0
ok() { echo "ok      $*"; }
bad() { echo "FAILED  $*"; failed=1; }

# a fresh copy of the project in $1, owned by $2
project() {
  rm -rf "$1"; mkdir -p "$1"; cp -r "$EX/pom.xml" "$EX/src" "$1/"; chown -R "$2" "$1"
}
# "tests failures errors skipped" of one class's XML report in project $1
counts() {
  local f=$1/target/surefire-reports/TEST-com.example.labjunit.$2.xml
  [[ -f $f ]] || { echo "none"; return; }
  local head; head=$(grep -m1 -o '<testsuite [^>]*' "$f")
  for k in tests failures errors skipped; do sed -n "s/.* $k=\"\([0-9]*\)\".*/\1/p" <<<"$head"; done | paste -sd' '
}
# the first skipped or failure/error message of one class's report
message() {
  local f=$1/target/surefire-reports/TEST-com.example.labjunit.$2.xml
  grep -m1 -o "<$3 message=\"[^\"]*\"" "$f" 2>/dev/null | sed "s/^<$3 message=\"//; s/\"\$//; s/&quot;/\"/g; s/&amp;/\&/g; s/&apos;/'/g; s/&lt;/</g; s/&gt;/>/g" || true
}

# ---- (a) as root
a=$work/as-root
project "$a" root
echo "== (a) as root: mvn test"
rc=0; (cd "$a" && mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$m2" test) > "$work/a.log" 2>&1 || rc=$?
grep -E 'Tests run:.*in com\.example' "$work/a.log" | sed 's/^/  /' || true
if ((rc != 0)); then bad "(a) mvn test as root exited $rc (log: $work/a.log)"; tail -40 "$work/a.log"; fi
for c in "${CLASSES[@]}"; do
  read -r t f e s <<<"$(counts "$a" "$c")"
  if [[ ${t:-0} -gt 0 && $f == 0 && $e == 0 && $s == 0 ]]; then ok "(a) root: $c ran $t tests, all passed"
  else bad "(a) root: $c: tests=${t:-none} failures=${f:-} errors=${e:-} skipped=${s:-}"; fi
done

# ---- (d) no picocli in the dependency tree
echo "== (d) mvn dependency:tree"
rc=0; tree=$(cd "$a" && mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$m2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.9.0:tree 2>&1) || rc=$?
grep -E '^\[INFO\] ([+|\\ ]|com\.example)' <<<"$tree" | sed 's/^\[INFO\] /  /' || true
if ((rc != 0)); then bad "(d) dependency:tree exited $rc"; echo "$tree" | tail -20
elif grep -qi picocli <<<"$tree"; then bad "(d) picocli is in the dependency tree"
elif ! grep -q 'io.dualsock:dualsock-lab:jar' <<<"$tree"; then bad "(d) the tree does not show dualsock-lab"
else ok "(d) dependency:tree: $(grep -c -E '^\[INFO\] [+|\\ ]' <<<"$tree") entries, no picocli"; fi

# ---- (b), (c) as an unprivileged user, offline, against a world-readable copy of the repository
u=$(mktemp -d /tmp/ds-lab-junit.XXXXXX)
trap 'rm -rf "$u"' EXIT
chmod 755 "$u"
cp -a "$m2" "$u/m2"; chmod -R a+rX "$u/m2"
cp "$work/settings.xml" "$u/settings.xml"; chmod 644 "$u/settings.xml"
mkdir -p "$u/home"; chown "$NOBODY:$NOBODY" "$u/home"
# as uid 65534 in project $1, with extra environment $2 (e.g. CI=true) and mvn arguments after it
as_user() {
  local dir=$1 envs=$2; shift 2
  project "$dir" "$NOBODY:$NOBODY"
  (cd "$dir" && setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
     env -i PATH="$PATH" HOME="$u/home" ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME} $envs \
     mvn -B -o -s "$u/settings.xml" -Dmaven.repo.local="$u/m2" test "$@")
}
# every lab class skipped with the reason, in the XML report and on the console
skipped_with_reason() { # label dir log expected-text
  local label=$1 dir=$2 log=$3 want=$4 c t f e s m
  for c in "${CLASSES[@]}"; do
    read -r t f e s <<<"$(counts "$dir" "$c")"
    m=$(message "$dir" "$c" skipped)
    if [[ ${t:-0} -gt 0 && $s == "$t" && $f == 0 && $e == 0 && $m == *"$want"* ]]; then
      ok "$label: $c: $t tests skipped: ${m:0:160}…"
    else
      bad "$label: $c: tests=${t:-none} failures=${f:-} errors=${e:-} skipped=${s:-}, message: ${m:-none}"
    fi
    if ! grep -qE "Tests run: $t, Failures: 0, Errors: 0, Skipped: $t, .* in com\.example\.labjunit\.$c" "$log"; then
      bad "$label: the console does not say $c's $t tests were skipped"
    fi
    # LabExtension's line on the test JVM's stderr, which Surefire shows
    m=$(grep -m1 "^$c skipped: " "$log" || true)
    if [[ $m == *"$want"* ]]; then ok "$label: the console shows why: ${m:0:110}…"
    else bad "$label: the console does not show why $c was skipped (${m:-no line})"; fi
  done
}
echo "== (b) uid $NOBODY, no CI: mvn -o test"
rc=0; as_user "$u/b" "" > "$work/b.log" 2>&1 || rc=$?
grep -E 'Tests run:|SKIPPED|cannot run' "$work/b.log" | sed 's/^/  /' | head -20 || true
((rc == 0)) || { bad "(b) mvn test as uid $NOBODY exited $rc (log: $work/b.log)"; tail -30 "$work/b.log"; }
skipped_with_reason "(b) unprivileged" "$u/b" "$work/b.log" "the lab cannot run here: root"

echo "== (c) uid $NOBODY, CI=true: mvn -o test"
rc=0; as_user "$u/c" "CI=true" > "$work/c.log" 2>&1 || rc=$?
grep -E 'Tests run:|cannot run' "$work/c.log" | sed 's/^/  /' | head -20 || true
if ((rc == 0)); then bad "(c) CI=true without root passed; it must fail"; else ok "(c) CI=true without root: mvn exited $rc"; fi
for c in "${CLASSES[@]}"; do
  read -r t f e s <<<"$(counts "$u/c" "$c")"
  m=$(message "$u/c" "$c" error); [[ -n $m ]] || m=$(message "$u/c" "$c" failure)
  if [[ $((${f:-0} + ${e:-0})) -gt 0 && $m == *"CI=true: failing, not skipping"* ]]; then ok "(c) CI=true: $c failed: …${m: -150}"
  else bad "(c) CI=true: $c: tests=${t:-none} failures=${f:-} errors=${e:-} skipped=${s:-}, message: ${m:-none}"; fi
done

echo "== (c) uid $NOBODY, CI=true, -Ddualsock.lab.required=false: mvn -o test"
rc=0; as_user "$u/c2" "CI=true" -Ddualsock.lab.required=false > "$work/c2.log" 2>&1 || rc=$?
grep -E 'Tests run:' "$work/c2.log" | sed 's/^/  /' | head -20 || true
((rc == 0)) || { bad "(c) CI=true with the opt-out exited $rc (log: $work/c2.log)"; tail -30 "$work/c2.log"; }
skipped_with_reason "(c) CI=true, opted out" "$u/c2" "$work/c2.log" "(skipped: -Ddualsock.lab.required=false, although CI=true)"

((failed == 0)) && echo "lab-junit: every check passed" || echo "lab-junit: some check failed (logs in $work)"
exit $failed
