/*
 * inventory/fenced in Promela, for the benchmark against SPIN (bench/spin/compare.ts). The same protocol,
 * step for step, as interleave's `fenced` variant of models/inventory.ts explored in tick mode:
 *   buyer (models/owner-checked-lock.ts + models/fenced-lock.ts + fencedSection of models/stock-section.ts)
 *     SET lock:stock <token> NX PX TTL   -- the arrival sends it; on nil: SLEEP BACKOFF*2^attempt and retry,
 *                                          giving up (done, no release) after MAX_RETRIES failed SETs
 *     INCR lock:stock:fence              -- the fencing token
 *     EVAL fenced-get  stock stock:fence <token>        -- STALE -> release; stock <= 0 -> release
 *     EVAL fenced-set  stock stock:fence <token> stock-1 -- STALE -> release
 *     INCR sold
 *     EVAL compare-and-delete lock:stock <token>
 *   fenced-get/-set (src/world/redis/scripts/fence.ts): a token below the store's mark is STALE, otherwise the
 *   mark becomes the token (an equal token passes).
 * Each command is one atomic step (one d_step: the command, the reply, and the client's local decisions up to
 * its next command, as interleave's `step` action). Each buyer is its own process; the Time process is the
 * `tick` action: it advances `now` by TICK while now + TICK <= HORIZON, at every state; past the horizon time
 * passes as interleave's `wait` does, to the next timer, and only when no arrived buyer can act.
 *
 * Expiry: a key SET with PX TTL at instant t is live while now <= t + TTL and gone from t + TTL + 1 on, as in
 * our Redis model (src/world/redis/keyspace.ts `isLive`) and real Redis (db.c keyIsExpired: expired when
 * now > when). The issue's wording, "the key vanishes when now >= expiry", would take it one tick earlier;
 * this model follows our Redis model, since the point is to explore the same state space.
 *
 * Canonical state, so that SPIN stores one vector per interleave state: an absent key is 0 (tokens and INCR
 * counters start at 1), an expired lock and an ended sleep are cleared when time passes (interleave's
 * fingerprint shows only live keys and time still to sleep), and each buyer keeps its state in `pc` (the
 * xstate state value) plus `attempt`, `fence`, `seen` (its context).
 *
 * Compile-time switches: -DN=<buyers 1..8> (default 3); -DTICK, -DHORIZON, -DTTL, -DBACKOFF (ms, defaults
 * 1, 8, 3, 100); -DSTOCK (default 1); -DUNFENCED_WRITE: the buggy variant, whose write is a plain SET without
 * the token check, where SPIN must find the oversell. Properties: no-oversell and fencing-monotonic as
 * assertions in the steps that change what they judge; no-deadlock as an assertion when nothing at all can
 * move (timeout). Run with -DSAFETY; see bench/spin/README.md.
 */
#ifndef N
#define N 3
#endif
#ifndef TICK
#define TICK 1
#endif
#ifndef HORIZON
#define HORIZON 8
#endif
#ifndef TTL
#define TTL 3
#endif
#ifndef BACKOFF
#define BACKOFF 100
#endif
#define MAX_RETRIES 3
#ifndef STOCK
#define STOCK 1
#endif
#define NONE 255 /* `seen` before the buyer read the stock (null in the xstate context) */

/* A buyer's state: the pending command of each xstate state, or not arrived / done. */
mtype = { NEW, ACQUIRE, RETRY, FENCE, READ, WRITE, RECORD, RELEASE, DONE };

int now = 0;            /* true time, ms; every clock is perfect */
/* Redis */
byte lock = 0;          /* lock:stock: the holder's token (buyer index + 1), 0 when absent */
int lockExpireAt = 0;   /* its last live instant */
byte fenceCounter = 0;  /* lock:stock:fence */
byte storeFence = 0;    /* stock:fence, the store's mark: the highest token it accepted */
byte stock = STOCK;
byte sold = 0;
/* Buyers, shared with Time, which must know who can act and when each one wakes. */
mtype pc[N] = NEW;
int wake[N] = 0;        /* when its sleep ends; 0 when not asleep */

/* Scratch for the loops inside d_steps: not part of the state. */
hidden byte i;
hidden int next;

/* An arrived buyer that can run its command now. Spelled out for indices up to 7, so that N can be a macro. */
#define READY(k) (N > k && pc[k] != NEW && pc[k] != DONE && wake[k] == 0)
#define ANY_READY (READY(0) || READY(1) || READY(2) || READY(3) || READY(4) || READY(5) || READY(6) || READY(7))
#define ASLEEP(k) (N > k && pc[k] != NEW && pc[k] != DONE && wake[k] != 0)
#define ANY_ASLEEP (ASLEEP(0) || ASLEEP(1) || ASLEEP(2) || ASLEEP(3) || ASLEEP(4) || ASLEEP(5) || ASLEEP(6) || ASLEEP(7))

/* Time has reached `now`: keys past their last live instant vanish, sleeps that ended end. */
inline timePassed() {
  if
  :: lock != 0 && now > lockExpireAt -> lock = 0; lockExpireAt = 0
  :: else
  fi;
  for (i : 0 .. N - 1) {
    if
    :: wake[i] != 0 && wake[i] <= now -> wake[i] = 0
    :: else
    fi
  };
  i = 0
}

active [N] proctype Buyer() {
  byte attempt = 0;     /* failed SETs so far */
  byte fence = 0;       /* its fencing token, 0 before INCR */
  byte seen = NONE;     /* the stock as it read it */
end:
  do
  :: d_step {
       pc[_pid] != DONE && wake[_pid] == 0;
       if
       :: pc[_pid] == NEW || pc[_pid] == ACQUIRE ->           /* SET lock:stock token NX PX TTL */
          if
          :: lock == 0 -> lock = _pid + 1; lockExpireAt = now + TTL; pc[_pid] = FENCE
          :: else ->
             if
             :: attempt + 1 >= MAX_RETRIES -> pc[_pid] = DONE
             :: else -> pc[_pid] = RETRY
             fi
          fi
       :: pc[_pid] == RETRY ->                                /* SLEEP BACKOFF * 2^attempt */
          wake[_pid] = now + (BACKOFF << attempt); attempt++; pc[_pid] = ACQUIRE
       :: pc[_pid] == FENCE ->                                /* INCR lock:stock:fence */
          fenceCounter++; fence = fenceCounter; pc[_pid] = READ
       :: pc[_pid] == READ ->                                 /* EVAL fenced-get */
          if
          :: fence < storeFence -> pc[_pid] = RELEASE         /* STALE */
          :: else ->
             assert(fence >= storeFence);                     /* fencing-monotonic */
             storeFence = fence; seen = stock;
             if
             :: seen > 0 -> pc[_pid] = WRITE
             :: else -> pc[_pid] = RELEASE
             fi
          fi
       :: pc[_pid] == WRITE ->
#ifdef UNFENCED_WRITE
          stock = seen - 1; pc[_pid] = RECORD                 /* SET stock stock-1, no token */
#else
          if                                                  /* EVAL fenced-set */
          :: fence < storeFence -> pc[_pid] = RELEASE         /* STALE */
          :: else ->
             assert(fence >= storeFence);                     /* fencing-monotonic */
             storeFence = fence; stock = seen - 1; pc[_pid] = RECORD
          fi
#endif
       :: pc[_pid] == RECORD ->                               /* INCR sold */
          sold++;
          assert(sold <= STOCK);                              /* no-oversell */
          pc[_pid] = RELEASE
       :: pc[_pid] == RELEASE ->                              /* EVAL compare-and-delete */
          if
          :: lock == _pid + 1 -> lock = 0; lockExpireAt = 0
          :: else
          fi;
          pc[_pid] = DONE
       fi
     }
  od
}

active proctype Time() {
end:
  do
  :: d_step { now + TICK <= HORIZON -> now = now + TICK; timePassed() }   /* tick */
  :: d_step {                                                            /* wait, past the horizon */
       now + TICK > HORIZON && !ANY_READY && (lock != 0 || ANY_ASLEEP);
       next = (lock != 0 -> lockExpireAt + 1 : 0);
       for (i : 0 .. N - 1) {
         if
         :: wake[i] != 0 && (next == 0 || wake[i] < next) -> next = wake[i]
         :: else
         fi
       };
       now = next; next = 0;
       timePassed()
     }
  :: atomic { timeout -> for (i : 0 .. N - 1) { assert(pc[i] == DONE) }; i = 0 }  /* no-deadlock */
  od
}
