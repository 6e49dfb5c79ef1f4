#!/usr/bin/env bash
# Load run (not a test): how many `GET /v1/actions?id=..` requests with 25 ids the simulator
# serves per second on this machine, the poll that hcloud-go batches in-flight actions into.
# Needs wrk (apt-get install wrk) and the built jar (./mvnw -pl hcloud-sim -am package -DskipTests).
# Prints requests/s of each run and their median.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
seconds=${SECONDS_PER_RUN:-10}
port=${PORT:-18765}
jar=hcloud-sim/target/quarkus-app/quarkus-run.jar
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -f "$jar" ] || { echo "$jar is missing: ./mvnw -pl hcloud-sim -am package -DskipTests" >&2; exit 2; }

java -Dquarkus.http.port="$port" -Dhcloud-sim.rate-limit.enabled=false \
  -Dhcloud-sim.durations.poweroff=0s -Dquarkus.log.level=WARN -jar "$jar" >/tmp/hcloud-sim-bench.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
  sleep 0.2 # waiting for the JVM to start listening; nothing to poll before that
done

auth='Authorization: Bearer bench'
for _ in $(seq 1 25); do
  curl -sf -o /dev/null -X POST -H "$auth" "http://127.0.0.1:$port/v1/servers/4201/actions/poweroff"
done
url="http://127.0.0.1:$port/v1/actions?id=$(seq -s '&id=' 1 25)&page=1"
found=$(curl -sf -H "$auth" "$url" | grep -o '"command"' | wc -l)
echo "actions per response: $found"

results=()
for run in $(seq 1 "$runs"); do
  rps=$(wrk -t2 -c16 -d"${seconds}s" -H "$auth" "$url" | awk '/Requests\/sec/ { print $2 }')
  echo "run $run: $rps requests/s"
  results+=("$rps")
done
printf '%s\n' "${results[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median: %s requests/s over %d runs\n", a[int((NR + 1) / 2)], NR }'
