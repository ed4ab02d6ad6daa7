#!/usr/bin/env bash
# Runs every benchmark in one invocation: the C baselines (cbench, built by CMake) and the JMH
# benchmarks (with -prof gc), group by group so that each C loop runs next to its Java peers,
# then writes the report with ratios to C and to the JDK.
#
#   benchmarks/run.sh            full run (~13 min on 2 cores), writes docs/performance.md and the
#                                numbers it shows, docs/performance-data.json
#   benchmarks/run.sh --smoke    one very short iteration of everything (CI), report in the
#                                results directory only
#   benchmarks/run.sh --render   no run: docs/performance.md rendered again from docs/performance-data.json
#                                (after a change to the words, src/main/resources/report/)
# Options: --no-build (use the jars already built by `mvn package`), --out DIR (raw results,
# default benchmarks/target/results), --report FILE, --only GROUP[,GROUP] (paired,ffi,udp,batch,tcp,gai,provider;
# paired: C, dualsock and the JDK in alternating slices inside one JMH fork, the basis of the targets;
# provider: dualsock's InetAddressResolverProvider against the JDK's resolver, on Java 18+ ($JAVA if it is, else
# $DS_JAVA25 or /usr/lib/jvm/temurin-25-jdk-amd64) with resolver-provider's jar; skipped, saying so, without them),
# --binding ffm|jnr (-Ddualsock.binding for every JVM: which crossing dualsock uses; default: FFM on
# Java 22+, jnr-ffi before).
# Environment: JAVA (default: java on PATH).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"

smoke=0 build=1 render=0 out=benchmarks/target/results report= only=paired,ffi,udp,batch,tcp,gai,provider binding=
while (($#)); do
  case $1 in
    --smoke) smoke=1 ;;
    --no-build) build=0 ;;
    --render) render=1 ;;
    --out) out=$2; shift ;;
    --report) report=$2; shift ;;
    --only) only=$2; shift ;;
    --binding) binding=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -n $report ]] || { ((smoke)) && report=$out/performance.md || report=docs/performance.md; }
JAVA=${JAVA:-java}
cmake_dir=native-bindings/target/cmake
jar=benchmarks/target/benchmarks.jar

if ((build)); then
  echo "== building (mvn package, tests skipped)"
  modules=benchmarks
  [[ ,$only, != *,provider,* ]] || modules+=,resolver-provider
  mvn -B -q -DskipTests -Dds.cmake.target=all package -pl "$modules" -am
fi
if ((render)); then
  "$JAVA" -cp "$jar" io.dualsock.bench.Report --data "${report%.md}-data.json" --out "$report"
  echo "== report: $report (from ${report%.md}-data.json)"
  exit 0
fi
for f in "$jar" "$cmake_dir/cbench" "$cmake_dir/libdsbench.so"; do
  [[ -e $f ]] || { echo "run.sh: $f is missing: run without --no-build, or mvn -DskipTests package" >&2; exit 1; }
done
rm -rf "$out"; mkdir -p "$out"

if ((smoke)); then
  cargs=(--warmup 0 --iterations 1 --time-ms 50 --recv-batch 256)
  jargs=(-wi 0 -i 1 -r 100ms -f 1 -foe true)
else
  cargs=(--warmup 3 --iterations 8 --time-ms 1000 --recv-batch 256)
  jargs=(-wi 3 -w 1s -i 8 -r 1s -f 1 -foe true)
fi
jvm=(-Ddualsock.bench.lib="$root/$cmake_dir/libdsbench.so")
major=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/{print $2}')
((${major%%.*} >= 22)) && jvm+=(--enable-native-access=ALL-UNNAMED)
[[ -z $binding ]] || jvm+=(-Ddualsock.binding="$binding")

# Environment, recorded before and after: the machine may be shared, and the load shows it.
load() { cut -d' ' -f1-3 /proc/loadavg; }
{
  echo "{"
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"cpu\": \"$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)\","
  echo "  \"cpus\": \"$(nproc)\","
  echo "  \"kernel\": \"$(uname -sr)\","
  echo "  \"libc\": \"$(getconf GNU_LIBC_VERSION 2>/dev/null || echo unknown)\","
  echo "  \"java\": \"$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.name|java.runtime.version/{printf "%s ", $2}')\","
  echo "  \"gcc\": \"$(gcc -dumpfullversion 2>/dev/null || echo unknown)\","
  echo "  \"commit\": \"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')\","
  echo "  \"mode\": \"$( ((smoke)) && echo smoke || echo full)\","
  echo "  \"loadBefore\": \"$(load)\","
} > "$out/env.part"

declare -A jmh_of=(
  [ffi]='io.dualsock.bench.FfiBench'
  [udp]='io.dualsock.bench.UdpBench'
  [batch]='io.dualsock.bench.BatchBench'
  [tcp]='io.dualsock.bench.TcpBench'
  [gai]='io\.dualsock\.bench\.Resolver(NoCache)?Bench\.'
  [paired]='io.dualsock.bench.PairedBench'
  [provider]='io.dualsock.bench.ResolverProviderBench'
)
declare -A c_of=([ffi]=ffi. [udp]=udp. [batch]=batch. [tcp]=tcp. [gai]=gai. [paired]= [provider]=)
start=$(date +%s)
IFS=, read -ra groups <<< "$only"
for g in "${groups[@]}"; do
  [[ -n ${jmh_of[$g]:-} ]] || { echo "run.sh: unknown group $g" >&2; exit 2; }
  if [[ -n ${c_of[$g]} ]]; then
    echo "== $g: C baseline"
    "$cmake_dir/cbench" "${cargs[@]}" "${c_of[$g]}" > "$out/c-$g.json"
  fi
  echo "== $g: JMH"
  gjava=$JAVA gjvm=("${jvm[@]}") gcp=$jar
  if [[ $g == provider ]]; then
    # the provider jar on the class path of this JVM and so of JMH's forks (only this group's)
    pjar=$(ls resolver-provider/target/dualsock-resolver-provider-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1)
    ((${major%%.*} >= 18)) || gjava=${DS_JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
    if [[ -z $pjar || ! -x $gjava ]]; then
      echo "run.sh: provider skipped: it needs Java 18+ and resolver-provider/target/*.jar (mvn -DskipTests package)" >&2; continue
    fi
    gcp=$jar:$pjar gjvm=(-Ddualsock.bench.lib="$root/$cmake_dir/libdsbench.so" --enable-native-access=ALL-UNNAMED -Djffi.unsafe.disabled=true)
  fi
  "$gjava" "${gjvm[@]}" -cp "$gcp" org.openjdk.jmh.Main "${jmh_of[$g]}" "${jargs[@]}" -prof gc \
      -jvmArgsPrepend "${gjvm[*]}" -rf json -rff "$out/jmh-$g.json" > "$out/jmh-$g.log" 2>&1 \
    || { tail -40 "$out/jmh-$g.log" >&2; echo "run.sh: JMH failed for $g (log: $out/jmh-$g.log)" >&2; exit 1; }
  grep -E '^(Benchmark|[A-Z][A-Za-z]+Bench)' "$out/jmh-$g.log" | grep -v ':gc\.\(count\|time\|alloc.rate \)\|Nanos\|:ops' || true
done
# Where the kernel spends a datagram's time: perf profiles of the C loops (full runs, when perf works).
if ((!smoke)) && command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
  for p in udp.sendTo4 batch.sendmmsg4 batch.sendSegmented4 udp.recvFrom6; do
    echo "== perf profile of cbench $p"
    if perf record -q -o "$out/perf.data" -- "$cmake_dir/cbench" --warmup 0 --iterations 1 --time-ms 2000 "$p" \
        >/dev/null 2>&1; then
      # awk reads to the end: no SIGPIPE for perf under pipefail
      { perf report -i "$out/perf.data" --no-children --stdio --sort dso 2>/dev/null | awk '/^ +[0-9]/ && n++ < 4'
        echo "--"
        perf report -i "$out/perf.data" --no-children --stdio --sort sym 2>/dev/null | awk '/^ +[0-9]/ && n++ < 16'
      } > "$out/perf-$p.txt"
    fi
    rm -f "$out/perf.data" "$out/perf.data.old"
  done
fi
echo "== binding checks"
"$JAVA" "${jvm[@]}" -cp "$jar" io.dualsock.bench.BindingCheck > "$out/binding-check.json"
{
  cat "$out/env.part"
  echo "  \"loadAfter\": \"$(load)\","
  echo "  \"seconds\": $(( $(date +%s) - start ))"
  echo "}"
} > "$out/env.json"
rm -f "$out/env.part"
mkdir -p "$(dirname "$report")"
"$JAVA" -cp "$jar" io.dualsock.bench.Report --results "$out" --out "$report"
echo "== report: $report ($(( $(date +%s) - start )) s)"
