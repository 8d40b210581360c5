import { scenarios } from '../../models/index.ts';

/** One line per scenario parameter: what it is and its default in each scenario that has it. */
function parameterLines(): string {
  const names = [...new Set(scenarios.flatMap((s) => Object.keys(s.params)))];
  return names.map((name) => {
    const having = scenarios.filter((s) => name in s.params);
    const defaults = new Set(having.map((s) => s.params[name].default));
    const where = defaults.size === 1
      ? `default ${[...defaults][0]}`
      : `default ${having.map((s) => `${s.params[name].default} in ${s.name}`).join(', ')}`;
    const scope = having.length === scenarios.length ? '' : `${having.map((s) => s.name).join(', ')}: `;
    return wrap(`  ${`--${name} N`.padEnd(19)}${scope}${having[0].params[name].description} (${where})`);
  }).join('\n');
}

/** Wraps a help line at 80 columns, continuing under the description. */
function wrap(line: string): string {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > 80) {
    const cut = rest.lastIndexOf(' ', 80);
    lines.push(rest.slice(0, cut));
    rest = ' '.repeat(21) + rest.slice(cut + 1);
  }
  return [...lines, rest].join('\n');
}

/** The text of `interleave --help`. */
export const HELP = `interleave — find the interleavings that break Redis locks and message consumers:
oversold stock, foreign lock releases, double charges, lost orders

Usage:
  interleave list [--json]
  interleave check SCENARIO [--variant V] [options]
  interleave check --all [options]
  interleave merge FILE... [--json]
  interleave replay TOKEN [--json] [--svg FILE] [--html FILE] [--mermaid FILE]
  interleave threshold SCENARIO --bound BOUND [--from N] [--to N] [options]
  interleave run SCENARIO [--variant V] [--backend embedded|real] [options]
  interleave play SCENARIO [--variant V] [--port N]
  interleave exercises [--json]
  interleave grade EXERCISE FILE [--hint N] [--json]

Commands:
  list      scenarios and their variants, one per line
  check     explore random schedules, pauses, crashes and clock skew; print the
            minimal counterexample of the first property that fails
  merge     put the shards of a check back together (each printed by check
            --shard I/N into a FILE): the report one check would print
  replay    re-run a counterexample from its replay token, byte for byte
  threshold the least value of a bound (max-skew, max-drift, max-jump,
            max-pause; from 0 to 10000 by default) at which a variant breaks,
            by bisection over exhaustive searches, with its counterexample
  run       run the variant's own machines on Redis and RabbitMQ (real, or
            embedded in process) with real pauses and kills, and judge what
            happened with the same properties
  play      be the scheduler: a page on 127.0.0.1 (the URL is printed; open
            it yourself) where you choose each step, pause, crash and wait
            until a property fails, then see the checker's minimal
            counterexample and the fix; Ctrl-C stops it
  exercises the graded exercises (docs/exercises) and what each file exports
  grade     check a student's FILE with the exercise's own scenarios and
            properties: pass, or fail with a counterexample and hint N
            (default 1; the last nearly gives the answer away)

Options of check:
  --variant V        variant to check (default: the scenario's first)
  --all              every scenario and variant; prints a summary table
  --runs N           schedules to explore (default 10000)
  --mode MODE        random (default; pct in redlock): uniform at every step;
                     pct: probabilistic concurrency testing; exhaustive: every
                     schedule, breadth-first, the first violation a shortest
  --depth D          pct: the bug depth, ordering constraints a bug needs
                     (default 3); one run finds such a bug with probability
                     at least 1/(n·k^(D-1)), n processes and k steps
  --max-depth N      exhaustive: longest schedule, in decisions (default 40)
  --max-states N     exhaustive: most distinct states stored (default 2000000)
  --max-time MS      exhaustive: wall-time budget (default none)
  --max-memory MB    exhaustive: stop once the process takes this much memory
                     (resident, MiB; default none)
  --symmetry         exhaustive: one state for states that differ only by
                     which of two identical workers is which
  --order O          exhaustive: breadth (default) or depth; depth keeps only
                     the visited states and the path it follows, as SPIN
                     does: a proof takes far less memory and time; a violation
                     it meets is shortened by breadth-first search; runs that
                     never end are not judged (the report says so)
  --threads N        search on N threads (default 1): the main one and N-1
                     workers; the same counts, the same counterexample for any N
  --shard I/N        do shard I of N of the check (a CI matrix, a batch job)
                     and print it as JSON; interleave merge FILE... puts all N
                     together
  --seed N           seed of the exploration (default 1)
${parameterLines()}
  --max-skew MS      largest clock offset of any node (default 0; 3000 in
                     clock-skew); exhaustive search tries -MS, 0 and +MS
  --max-drift PPM    largest clock drift of any node (default 0); exhaustive
                     search tries -PPM, 0 and +PPM
  --max-pause MS     longest process pause (default 10000)
  --pauses N         pauses per run (default 2)
  --crashes N        crashes per run (default 1; 0 in inventory and order-create,
                     where a crash is just a pause that never ends)
  --losses N         publishes per run that lose their message (a nack, with
                     confirms) or their confirm (a timeout) (default 0; 1 in
                     order-confirm and checkout)
  --closes N         consumer channels per run the broker closes, the consumer
                     living on (default 0)
  --jumps N          clock jumps per run (an NTP step), on any node's clock,
                     forward or back by --max-jump MS (default 0; 10000 ms)
  --tick MS          tick mode: time passes in ticks of MS, a choice at every
  --horizon MS       step up to the horizon (then as usual); default off
  --clock NODE=SPEC  fix a node's clock (NODE: A, B, … or redis); SPEC is a
                     comma list of offset:MS, drift:PPM, jump:AT:BY, e.g.
                     --clock redis=jump:2000:3000 (3 s ahead at t=2000)
  --property NAME    check only this property
  --json             print one JSON object (with --all: an array)
  --svg FILE         draw the counterexample into FILE: a sequence diagram with
                     a lane per process and server, clocks and lock windows
  --html FILE        the same diagram in a self-contained HTML page
  --mermaid FILE     the same as Mermaid sequenceDiagram text, for Markdown
                     (these three work on replay and run too — run draws its
                     first violating iteration; without one nothing is written)

Options of run (also --variant, --seed, the scenario parameters, --closes,
--max-time MS: wall-time budget per iteration, default 60000, --json, --svg,
--html, --mermaid):
  --backend B        embedded (default): ioredis-mock and the in-process
                     broker; real: the servers at --redis and --amqp
  --redis URL        default $REDIS_URL, else redis://127.0.0.1:6379; every
                     Redis server of the scenario a key space on it. A comma
                     list gives each a server of its own: redlock takes 5 URLs
                     (redis-1 … redis-5; the store, redis, on the first) or 6
                     (redis first)
  --amqp URL         default $AMQP_URL, else amqp://guest:guest@127.0.0.1:5672
  --isolation I      shared (default): every process in this Node process;
                     process: each in a child process with connections of its
                     own, paused by SIGSTOP and SIGCONT, killed by SIGKILL (the
                     OS drops its sockets); needs --backend real
  --iterations N     runs, each in fresh key and queue namespaces (default 1)
  --parallel N       iterations in flight at once (default 1)
  --time-scale S     1 real ms stands for S ms of the scenario's time: TTLs,
                     sleeps and pauses run S times faster (default 1)
  --pauses N         pauses per iteration on the k-th process to enter its
                     critical section, before its 1st, 2nd or 3rd command
                     there, and as many on workers (default: the scenario's
                     --pauses)
  --worker-pauses N  pauses per iteration on the worker that takes a
                     delivery, before its 1st or 2nd command after it and
                     ahead of a kill due there (default: --pauses)
  --pause MS         length of each pause (default twice --ttl, else twice
                     --window: past the lock's TTL or the gateway's window;
                     else 2000, twice the restart delay: order-confirm's
                     workers have no deadline to outlast)
  --kills N          kills per iteration of the worker that takes a delivery,
                     before its 1st or 2nd command after it (default: the
                     scenario's --crashes); services restart after 1000 ms
  --publish-kills N  kills per iteration of a process about to publish
  --disconnects N    Redis connections per iteration the server kills (CLIENT
                     KILL) with a command of a process in its critical section
                     in flight, landing like pauses (default 0). The client
                     fails fast: a command whose reply is lost may or may not
                     have run (the judge reads it both ways), and its process
                     ends as if it crashed
  --redis-stalls N   stalls per iteration of the whole Redis server (CLIENT
                     PAUSE ... WRITE: writes wait), begun before a command in
                     a critical section (default 0). Every client of that
                     server waits, other programs' too: with --parallel 1 only
  --stall MS         length of each stall (default the scenario's --ttl)
  --arrivals MS      processes arrive within MS (default: the pause length
                     where pauses land in critical sections, else 0)

Options of play (also --variant and the scenario parameters):
  --port N           the port on 127.0.0.1 (default 0: any free one)

Exit codes:
  0  no violation found (with --all: every variant behaved as expected; grade:
     the file passes)
  1  a violation found (with --all: some variant did not behave as expected;
     grade: the file fails)
  2  bad input or a model error
`;
