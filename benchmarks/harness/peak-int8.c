/* The machine's int8 peak, measured as peak-flops.c measures FP32: THREADS
 * threads each run independent chains of the u8 x s8 multiply-accumulate
 * step cnnc's integer kernel uses, for about half a second, and print the
 * total GOP/s (a multiply-add of one u8 by one s8 counts 2) and the
 * sequence:
 *   vpdpbusd-512   AVX512-VNNI: 16 lanes x 4 products per instruction
 *   vpdpbusd-256   AVX512-VNNI with VL on 256 bits
 *   vpdpbusd-256-avxvnni  AVX-VNNI (its VEX encoding)
 *   vpmaddubsw-512 AVX512BW without VNNI: vpmaddubsw, vpmaddwd, vpaddd
 *   vpmaddubsw-256 AVX2: the same on 256 bits
 * Usage: peak-int8 [THREADS [SEQUENCE]]; without SEQUENCE, the one cnnc
 * uses on this machine with --mcpu=native. */
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHAINS 12
#define ITERATIONS 100000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Each returns a sum of its accumulators, so that none is dead. The
 * multiplied input is made opaque each iteration, so that the compiler
 * cannot hoist the loop-invariant products out of the loop. */
#define OPAQUE(v) __asm__ volatile("" : "+v"(v))

__attribute__((target("avx512f"))) static int sum512(const __m512i *acc) {
  int sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    sum += _mm512_reduce_add_epi32(acc[c]);
  return sum;
}

__attribute__((target("avx2"))) static int sum256(const __m256i *acc) {
  int lanes[8], sum = 0;
  for (int c = 0; c < CHAINS; ++c) {
    _mm256_storeu_si256((__m256i *)lanes, acc[c]);
    for (int l = 0; l < 8; ++l)
      sum += lanes[l];
  }
  return sum;
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) static int
vnni512(long iterations) {
  __m512i acc[CHAINS];
  __m512i x = _mm512_set1_epi8(3), w = _mm512_set1_epi8(-2);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm512_set1_epi32(c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm512_dpbusd_epi32(acc[c], x, w);
  return sum512(acc);
}

__attribute__((target("avx2,avx512f,avx512vl,avx512vnni"))) static int
vnni256(long iterations) {
  __m256i acc[CHAINS];
  __m256i x = _mm256_set1_epi8(3), w = _mm256_set1_epi8(-2);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_epi32(c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_dpbusd_epi32(acc[c], x, w);
  return sum256(acc);
}

__attribute__((target("avx2,avxvnni"))) static int avxvnni(long iterations) {
  __m256i acc[CHAINS];
  __m256i x = _mm256_set1_epi8(3), w = _mm256_set1_epi8(-2);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_epi32(c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_dpbusd_avx_epi32(acc[c], x, w);
  return sum256(acc);
}

__attribute__((target("avx512f,avx512bw"))) static int
maddubs512(long iterations) {
  __m512i acc[CHAINS];
  __m512i x = _mm512_set1_epi8(3), w = _mm512_set1_epi8(-2);
  __m512i ones = _mm512_set1_epi16(1);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm512_set1_epi32(c);
  for (long i = 0; i < iterations; ++i) {
    OPAQUE(x);
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm512_add_epi32(
          acc[c], _mm512_madd_epi16(_mm512_maddubs_epi16(x, w), ones));
  }
  return sum512(acc);
}

__attribute__((target("avx2"))) static int maddubs256(long iterations) {
  __m256i acc[CHAINS];
  __m256i x = _mm256_set1_epi8(3), w = _mm256_set1_epi8(-2);
  __m256i ones = _mm256_set1_epi16(1);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_epi32(c);
  for (long i = 0; i < iterations; ++i) {
    OPAQUE(x);
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_add_epi32(
          acc[c], _mm256_madd_epi16(_mm256_maddubs_epi16(x, w), ones));
  }
  return sum256(acc);
}

struct sequence {
  const char *name;
  int (*run)(long);
  int bytes; /* u8 x s8 products per instruction step */
};

static const struct sequence sequences[] = {
    {"vpdpbusd-512", vnni512, 64},
    {"vpdpbusd-256", vnni256, 32},
    {"vpdpbusd-256-avxvnni", avxvnni, 32},
    {"vpmaddubsw-512", maddubs512, 64},
    {"vpmaddubsw-256", maddubs256, 32},
};

static int supported(const struct sequence *s) {
  if (s->run == vnni512)
    return __builtin_cpu_supports("avx512vnni") &&
           __builtin_cpu_supports("avx512bw");
  if (s->run == vnni256)
    return __builtin_cpu_supports("avx512vnni") &&
           __builtin_cpu_supports("avx512vl");
  if (s->run == avxvnni)
    return __builtin_cpu_supports("avxvnni");
  if (s->run == maddubs512)
    return __builtin_cpu_supports("avx512bw");
  return __builtin_cpu_supports("avx2");
}

static const struct sequence *chosen;
static volatile int sink;

static void *worker(void *unused) {
  (void)unused;
  sink = chosen->run(ITERATIONS);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  if (threads < 1 || threads > 256)
    threads = 2;
  __builtin_cpu_init();
  for (size_t i = 0; i < sizeof sequences / sizeof *sequences; ++i) {
    const struct sequence *s = &sequences[i];
    if (argc > 2 ? strcmp(argv[2], s->name) == 0 : supported(s)) {
      chosen = s;
      break;
    }
  }
  if (!chosen || !supported(chosen)) {
    fprintf(stderr, "peak-int8: %s\n",
            argc > 2 ? "this CPU lacks that sequence (vpdpbusd-512, "
                       "vpdpbusd-256, vpdpbusd-256-avxvnni, vpmaddubsw-512, "
                       "vpmaddubsw-256)"
                     : "the CPU has neither AVX-512 nor AVX2");
    return 1;
  }
  sink = chosen->run(ITERATIONS / 20); /* warm-up */
  pthread_t ids[256];
  double start = now();
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, worker, NULL);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  double seconds = now() - start;
  double ops = 2.0 * chosen->bytes * CHAINS * (double)ITERATIONS * threads;
  printf("%.1f GOP/s %s %d threads\n", ops / seconds / 1e9, chosen->name,
         threads);
  return 0;
}
