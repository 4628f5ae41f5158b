//===- ThreadPool.cpp - The parallel-for of compiled code -----------------===//
//
// A fixed pool of cnnc_num_threads() - 1 workers, started on first use. A
// parallel loop is split into chunks handed out by an atomic counter; the
// calling thread takes chunks too and waits for the stragglers. Chunks are
// guided: each takes a share of what is left (half of it over the threads),
// never less than the grain, so the first chunks are large (few hand-outs)
// and the last ones small (the threads finish within a small chunk of each
// other, not within an eighth of the loop). One loop
// runs at a time (others wait their turn); a loop started from inside a
// loop body runs serially, which keeps nested parallelism from deadlocking.
//
// A network is a few hundred loops in a row, a few microseconds apart: a
// worker that finished one spins for a while, watching for the next, before it
// sleeps on the condition variable, and so does the caller waiting for the
// stragglers, so that going from one loop to the next costs no futex wait
// and wake-up (tens of microseconds each). Idle between inferences, they
// sleep.
//
// The pool lives until the process ends (no destructor runs at exit) and a
// forked child makes its own (pthread_atfork). An error a loop body raises
// on a worker (cnnc_set_error) reaches the calling thread's
// cnnc_last_error.
//
//===----------------------------------------------------------------------===//

#include "cnnc/runtime.h"

#include <algorithm>
#include <atomic>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

namespace {

thread_local bool insideLoop = false;

/// Spins of a waiting thread before it sleeps: about 100 microseconds.
constexpr int kSpins = 1 << 12;

/// One step of a spin-wait.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

/// Spins until `ready()` holds or the spins are spent; whether it holds.
template <typename Predicate> bool spinUntil(Predicate ready) {
  for (int i = 0; i < kSpins; ++i) {
    if (ready())
      return true;
    relax();
  }
  return ready();
}

int threadCountFromEnvironment() {
  if (const char *value = std::getenv("CNNC_NUM_THREADS")) {
    char *end = nullptr;
    long parsed = std::strtol(value, &end, 10);
    if (end != value && *end == '\0' && parsed > 0 && parsed <= 1024)
      return static_cast<int>(parsed);
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

class ThreadPool {
public:
  explicit ThreadPool(int threads) : threadCount(threads) {
    for (int i = 1; i < threads; ++i)
      workers.emplace_back([this] { workerLoop(); });
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping.store(true, std::memory_order_relaxed);
    }
    wake.notify_all();
    for (std::thread &worker : workers)
      worker.join();
  }

  int size() const { return threadCount; }

  void run(int64_t count, int64_t grain, cnnc_parallel_body body,
           void *context) {
    std::lock_guard<std::mutex> serialize(loopMutex);
    {
      std::lock_guard<std::mutex> lock(mutex);
      loop = Loop{body, context, count, grain};
      next.store(0, std::memory_order_relaxed);
      busyWorkers.store(static_cast<int>(workers.size()),
                        std::memory_order_relaxed);
      workerError.clear();
      generation.fetch_add(1, std::memory_order_release);
    }
    wake.notify_all();
    work();
    auto finished = [this] {
      return busyWorkers.load(std::memory_order_acquire) == 0;
    };
    if (!spinUntil(finished)) {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, finished);
    }
    // An error a worker raised in the loop is the caller's.
    std::lock_guard<std::mutex> lock(mutex);
    if (!workerError.empty())
      cnnc_set_error("%s", workerError.c_str());
  }

private:
  struct Loop {
    cnnc_parallel_body body = nullptr;
    void *context = nullptr;
    int64_t count = 0;
    int64_t grain = 1;
  };

  /// Takes chunks of the current loop until none is left.
  void work() {
    insideLoop = true;
    int64_t share = 2 * static_cast<int64_t>(threadCount);
    int64_t begin = next.load(std::memory_order_relaxed);
    for (;;) {
      int64_t left = loop.count - begin;
      if (left <= 0)
        break;
      int64_t size = std::min(left, std::max(loop.grain, left / share));
      // On failure `begin` is reloaded with the counter's current value.
      if (!next.compare_exchange_weak(begin, begin + size,
                                      std::memory_order_relaxed))
        continue;
      loop.body(loop.context, begin, begin + size);
      begin = next.load(std::memory_order_relaxed);
    }
    insideLoop = false;
  }

  void workerLoop() {
    uint64_t seen = 0;
    auto started = [&] {
      return stopping.load(std::memory_order_relaxed) ||
             generation.load(std::memory_order_acquire) != seen;
    };
    for (;;) {
      if (!spinUntil(started)) {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, started);
      }
      if (stopping.load(std::memory_order_relaxed))
        return;
      // The loop's fields were written under the mutex before the
      // generation was released: take them under it too.
      {
        std::lock_guard<std::mutex> lock(mutex);
        seen = generation.load(std::memory_order_relaxed);
      }
      cnnc_clear_error();
      work();
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (*cnnc_last_error() && workerError.empty())
          workerError = cnnc_last_error();
        busyWorkers.fetch_sub(1, std::memory_order_release);
      }
      done.notify_one();
    }
  }

  int threadCount;
  std::vector<std::thread> workers;
  std::mutex loopMutex; // One loop at a time.
  std::mutex mutex;     // Guards the fields below.
  std::condition_variable wake, done;
  Loop loop;
  std::atomic<int64_t> next{0};
  std::atomic<int> busyWorkers{0};
  std::atomic<uint64_t> generation{0};
  std::atomic<bool> stopping{false};
  std::string workerError; // The first error a worker raised in the loop.
};

/// The pool, made on first use and never destroyed: a program that exits
/// (a static destructor) while another thread runs a loop must not wait
/// for, or free, what that loop uses. A forked child has none of the
/// parent's workers: it drops the pool it inherited (whose mutexes may be
/// held by threads that do not exist there) and makes its own on first use.
std::atomic<ThreadPool *> current{nullptr};
std::mutex *creation = new std::mutex;

void forgetPoolInChild() {
  current.store(nullptr, std::memory_order_relaxed);
  creation = new std::mutex; // The parent's may have been held.
  insideLoop = false;
}

ThreadPool &pool() {
  if (ThreadPool *made = current.load(std::memory_order_acquire))
    return *made;
  std::lock_guard<std::mutex> lock(*creation);
  if (ThreadPool *made = current.load(std::memory_order_acquire))
    return *made;
  static bool registered = [] {
    pthread_atfork(nullptr, nullptr, forgetPoolInChild);
    return true;
  }();
  (void)registered;
  auto *made = new ThreadPool(threadCountFromEnvironment());
  current.store(made, std::memory_order_release);
  return *made;
}

} // namespace

extern "C" int cnnc_num_threads(void) { return pool().size(); }

extern "C" void cnnc_parallel_for(int64_t count, int64_t grain,
                                  cnnc_parallel_body body, void *context) {
  if (count <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  if (insideLoop || count <= grain || pool().size() == 1) {
    body(context, 0, count);
    return;
  }
  pool().run(count, grain, body, context);
}
