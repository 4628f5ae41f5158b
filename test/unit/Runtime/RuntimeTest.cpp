//===- RuntimeTest.cpp - The runtime's errors, memory and threads ---------===//

#include "cnnc/runtime.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

TEST(RuntimeErrors, LastErrorIsFormattedAndCleared) {
  cnnc_clear_error();
  EXPECT_STREQ(cnnc_last_error(), "");
  cnnc_set_error("input %d of '%s' is NULL", 2, "resnet18");
  EXPECT_STREQ(cnnc_last_error(), "input 2 of 'resnet18' is NULL");
  cnnc_clear_error();
  EXPECT_STREQ(cnnc_last_error(), "");
}

TEST(RuntimeErrors, LastErrorIsPerThread) {
  cnnc_set_error("main thread");
  std::string seen = "unset";
  std::thread other([&] {
    seen = cnnc_last_error();
    cnnc_set_error("other thread");
  });
  other.join();
  EXPECT_EQ(seen, "");
  EXPECT_STREQ(cnnc_last_error(), "main thread");
}

TEST(RuntimeErrors, MessageMayQuoteThePreviousOne) {
  cnnc_set_error("inner");
  cnnc_set_error("outer: %s", cnnc_last_error());
  EXPECT_STREQ(cnnc_last_error(), "outer: inner");
}

TEST(RuntimeErrors, LongMessagesAreTruncated) {
  std::string longText(5000, 'x');
  cnnc_set_error("%s", longText.c_str());
  size_t length = std::strlen(cnnc_last_error());
  EXPECT_GT(length, 100u);
  EXPECT_LT(length, longText.size());
}

TEST(RuntimeWorkspace, IsAlignedAndWritable) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{63}, size_t{64},
                      size_t{1000}, size_t{1} << 20}) {
    void *workspace = cnnc_workspace_alloc(size);
    ASSERT_NE(workspace, nullptr) << size;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(workspace) % CNNC_WORKSPACE_ALIGNMENT,
              0u);
    std::memset(workspace, 0xab, size);
    cnnc_workspace_free(workspace);
  }
  cnnc_workspace_free(nullptr);
}

TEST(RuntimeWorkspace, ExhaustionIsAnErrorNotACrash) {
  cnnc_clear_error();
  void *workspace = cnnc_workspace_alloc(SIZE_MAX / 2);
  EXPECT_EQ(workspace, nullptr);
  EXPECT_NE(std::string(cnnc_last_error()).find("out of memory"),
            std::string::npos);
  // Sizes whose rounding to the alignment would wrap around.
  for (size_t size : {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 62}) {
    EXPECT_EQ(cnnc_workspace_alloc(size), nullptr) << size;
    EXPECT_NE(std::string(cnnc_last_error()).find("too large"),
              std::string::npos);
  }
}

/// Counts how often each index is visited.
struct Visits {
  std::vector<std::atomic<int>> counts;
  explicit Visits(int64_t n) : counts(n) {}
  static void body(void *context, int64_t begin, int64_t end) {
    auto *self = static_cast<Visits *>(context);
    for (int64_t i = begin; i < end; ++i)
      self->counts[i].fetch_add(1);
  }
  bool eachOnce() const {
    for (const auto &count : counts)
      if (count.load() != 1)
        return false;
    return true;
  }
};

TEST(RuntimeParallelFor, VisitsEveryIndexOnce) {
  for (int64_t count : {0, 1, 2, 7, 1000, 100003})
    for (int64_t grain : {0, 1, 16, 5000}) {
      Visits visits(count);
      cnnc_parallel_for(count, grain, Visits::body, &visits);
      EXPECT_TRUE(visits.eachOnce()) << count << " " << grain;
    }
}

/// The [begin, end) chunks cnnc_parallel_for hands its body, sorted.
std::vector<std::pair<int64_t, int64_t>> chunksOf(int64_t count,
                                                  int64_t grain) {
  struct Chunks {
    std::mutex mutex;
    std::vector<std::pair<int64_t, int64_t>> ranges;
  } chunks;
  cnnc_parallel_for(
      count, grain,
      [](void *c, int64_t begin, int64_t end) {
        auto *ctx = static_cast<Chunks *>(c);
        std::lock_guard<std::mutex> lock(ctx->mutex);
        ctx->ranges.emplace_back(begin, end);
      },
      &chunks);
  std::sort(chunks.ranges.begin(), chunks.ranges.end());
  return chunks.ranges;
}

TEST(RuntimeParallelFor, ChunksAreAtLeastTheGrainButTheLast) {
  // Chunks shrink toward the end of the loop (guided), never below the
  // grain: only the chunk that ends the range may be shorter.
  for (int64_t grain : {1, 7, 64}) {
    int64_t covered = 0;
    for (auto [begin, end] : chunksOf(1000, grain)) {
      EXPECT_EQ(begin, covered) << grain;
      EXPECT_TRUE(end - begin >= grain || end == 1000)
          << "[" << begin << ", " << end << ") grain " << grain;
      covered = end;
    }
    EXPECT_EQ(covered, 1000);
  }
}

TEST(RuntimeParallelFor, CountsNearTheLargestDoNotOverflow) {
  // The chunk arithmetic (begin + size, the guided share) stays inside
  // [0, count) for counts and grains near INT64_MAX; the body sees the
  // ranges only (it does no work per index).
  const int64_t largest = std::numeric_limits<int64_t>::max();
  for (auto [count, grain] :
       {std::pair<int64_t, int64_t>{largest, largest / 8},
        {largest, largest},
        {largest - 1, largest / 3},
        {largest, largest - 1}}) {
    int64_t covered = 0;
    for (auto [begin, end] : chunksOf(count, grain)) {
      EXPECT_EQ(begin, covered) << count << " " << grain;
      EXPECT_GT(end, begin) << count << " " << grain;
      covered = end;
    }
    EXPECT_EQ(covered, count) << grain;
  }
}

TEST(RuntimeParallelFor, NestedLoopsRunInline) {
  constexpr int64_t outer = 8, inner = 100;
  Visits visits(outer * inner);
  struct Context {
    Visits *visits;
    int64_t row;
  };
  auto outerBody = [](void *context, int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      Context nested{static_cast<Visits *>(context), row};
      cnnc_parallel_for(
          inner, 1,
          [](void *c, int64_t b, int64_t e) {
            auto *ctx = static_cast<Context *>(c);
            Visits::body(ctx->visits, ctx->row * inner + b,
                         ctx->row * inner + e);
          },
          &nested);
    }
  };
  cnnc_parallel_for(outer, 1, outerBody, &visits);
  EXPECT_TRUE(visits.eachOnce());
}

TEST(RuntimeParallelFor, ConcurrentCallersAreSafe) {
  constexpr int callers = 4;
  std::vector<Visits *> all;
  for (int i = 0; i < callers; ++i)
    all.push_back(new Visits(20000));
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i)
    threads.emplace_back([&, i] {
      for (int round = 0; round < 10; ++round) {
        Visits visits(20000);
        cnnc_parallel_for(20000, 64, Visits::body, &visits);
        if (round == 0)
          cnnc_parallel_for(20000, 64, Visits::body, all[i]);
        EXPECT_TRUE(visits.eachOnce());
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  for (Visits *visits : all) {
    EXPECT_TRUE(visits->eachOnce());
    delete visits;
  }
}

TEST(RuntimeParallelFor, UsesEveryThread) {
  // A loop of slow iterations runs on more than one thread when the pool
  // has more than one.
  struct Context {
    std::mutex mutex;
    std::vector<std::thread::id> ids;
  } context;
  cnnc_parallel_for(
      64, 1,
      [](void *c, int64_t, int64_t) {
        auto *ctx = static_cast<Context *>(c);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::lock_guard<std::mutex> lock(ctx->mutex);
        if (std::find(ctx->ids.begin(), ctx->ids.end(),
                      std::this_thread::get_id()) == ctx->ids.end())
          ctx->ids.push_back(std::this_thread::get_id());
      },
      &context);
  EXPECT_EQ(context.ids.size() >= 2, cnnc_num_threads() >= 2)
      << context.ids.size() << " threads of " << cnnc_num_threads();
}

TEST(RuntimeParallelFor, ForkedChildRunsLoops) {
  // The parent's pool has run (its workers exist only in the parent); a
  // forked child runs loops on a pool of its own instead of waiting for
  // workers it does not have, and the parent's pool still works after.
  Visits before(10000);
  cnnc_parallel_for(10000, 16, Visits::body, &before);
  ASSERT_TRUE(before.eachOnce());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    alarm(20); // A hang ends the child with SIGALRM.
    Visits visits(10000);
    cnnc_parallel_for(10000, 16, Visits::body, &visits);
    _exit(visits.eachOnce() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child hung or crashed: status "
                                 << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  Visits after(10000);
  cnnc_parallel_for(10000, 16, Visits::body, &after);
  EXPECT_TRUE(after.eachOnce());
}

TEST(RuntimeParallelFor, WorkerErrorsReachTheCaller) {
  // cnnc_last_error is per thread: an error raised by a chunk on a worker
  // is handed to the thread that called the loop.
  struct Context {
    std::thread::id caller = std::this_thread::get_id();
    std::atomic<bool> onWorker{false};
  } context;
  cnnc_clear_error();
  cnnc_parallel_for(
      64, 1,
      [](void *c, int64_t begin, int64_t) {
        auto *ctx = static_cast<Context *>(c);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (std::this_thread::get_id() != ctx->caller) {
          ctx->onWorker = true;
          cnnc_set_error("chunk %lld failed on a worker", (long long)begin);
        }
      },
      &context);
  if (!context.onWorker)
    GTEST_SKIP() << "no chunk ran on a worker (" << cnnc_num_threads()
                 << " threads)";
  EXPECT_NE(std::strstr(cnnc_last_error(), "failed on a worker"), nullptr)
      << cnnc_last_error();
  cnnc_clear_error();
}

TEST(RuntimeThreadsDeathTest, ExitWhileALoopRunsDoesNotHang) {
  // A thread is inside a loop of slow iterations when the program exits:
  // nothing at exit waits for it, or frees what it uses.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        alarm(20);
        std::thread([] {
          cnnc_parallel_for(
              1000, 1,
              [](void *, int64_t, int64_t) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
              },
              nullptr);
        }).detach();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(RuntimeThreadsDeathTest, ThreadCountComesFromTheEnvironment) {
  // The count is fixed at first use: check it in a fresh process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("CNNC_NUM_THREADS", "3", 1);
        std::exit(cnnc_num_threads() == 3 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        setenv("CNNC_NUM_THREADS", "zero", 1);
        std::exit(cnnc_num_threads() ==
                          static_cast<int>(std::thread::hardware_concurrency())
                      ? 0
                      : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST(RuntimeWorkspace, ThreadWorkspaceIsKeptPerKeyAndGrows) {
  static const char keyA = 0, keyB = 0;
  void *a = cnnc_thread_workspace(&keyA, 256);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % CNNC_WORKSPACE_ALIGNMENT, 0u);
  // The same key on the same thread: the same memory, while it is enough.
  EXPECT_EQ(cnnc_thread_workspace(&keyA, 128), a);
  void *b = cnnc_thread_workspace(&keyB, 256);
  EXPECT_NE(b, a);
  std::memset(cnnc_thread_workspace(&keyA, 1 << 20), 0, 1 << 20);
  // Another thread gets its own.
  void *other = nullptr;
  std::thread([&] { other = cnnc_thread_workspace(&keyA, 256); }).join();
  EXPECT_NE(other, nullptr);
  EXPECT_NE(other, cnnc_thread_workspace(&keyA, 256));
}

TEST(RuntimeCpuFeatures, BaselineFeaturesArePresent) {
#if defined(__x86_64__)
  // Every x86-64 CPU that runs this test has SSE3 (x86-64-v2 and up).
  EXPECT_EQ(cnnc_cpu_has_feature("sse3"), 1);
  EXPECT_EQ(cnnc_check_cpu_features("model", "sse3,ssse3"), 0);
#endif
  EXPECT_EQ(cnnc_cpu_has_feature("no-such-feature"), 0);
  EXPECT_EQ(cnnc_cpu_has_feature(nullptr), 0);
  EXPECT_EQ(cnnc_check_cpu_features("model", ""), 0);
}

TEST(RuntimeCpuFeatures, UnknownFeaturesAreAnError) {
  EXPECT_NE(cnnc_check_cpu_features("resnet18", "sse3,warp-drive"), 0);
  EXPECT_NE(std::string(cnnc_last_error()).find("warp-drive"),
            std::string::npos)
      << cnnc_last_error();
  EXPECT_NE(std::string(cnnc_last_error()).find("resnet18"),
            std::string::npos);
}

TEST(RuntimeCpuFeaturesDeathTest, DisabledFeaturesAreMissing) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("CNNC_DISABLE_CPU_FEATURES", "avx2,sse3", 1);
        bool ok = cnnc_cpu_has_feature("sse3") == 0 &&
                  cnnc_check_cpu_features("net", "sse3") != 0 &&
                  std::string(cnnc_last_error()).find("lacks") !=
                      std::string::npos &&
                  std::string(cnnc_last_error()).find("sse3") !=
                      std::string::npos;
        std::exit(ok ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

} // namespace
