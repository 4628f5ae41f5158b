/* The machine's FP32 peak, measured: THREADS threads each run independent
 * chains of fused multiply-adds on 16 (AVX-512) or 8 (AVX2) floats for
 * about half a second; prints the total GFLOP/s (an FMA counts 2) and the
 * instruction set used. Usage: peak-flops [THREADS] */
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12
#define ITERATIONS 20000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f"))) static float fma512(long iterations) {
  __m512 acc[CHAINS];
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm512_set1_ps((float)c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  float sum = 0;
  for (int c = 0; c < CHAINS; ++c)
    sum += _mm512_reduce_add_ps(acc[c]);
  return sum;
}

__attribute__((target("avx2,fma"))) static float fma256(long iterations) {
  __m256 acc[CHAINS];
  __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = _mm256_set1_ps((float)c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  float lanes[8], sum = 0;
  for (int c = 0; c < CHAINS; ++c) {
    _mm256_storeu_ps(lanes, acc[c]);
    for (int l = 0; l < 8; ++l)
      sum += lanes[l];
  }
  return sum;
}

static int wide;
static volatile float sink;

static void *worker(void *unused) {
  (void)unused;
  sink = wide ? fma512(ITERATIONS) : fma256(ITERATIONS);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  if (threads < 1 || threads > 256)
    threads = 2;
  __builtin_cpu_init();
  wide = __builtin_cpu_supports("avx512f");
  if (!wide && !__builtin_cpu_supports("fma")) {
    fprintf(stderr, "peak-flops: the CPU has neither AVX-512 nor FMA\n");
    return 1;
  }
  sink = wide ? fma512(ITERATIONS / 20) : fma256(ITERATIONS / 20); /* warm-up */
  pthread_t ids[256];
  double start = now();
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, worker, NULL);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  double seconds = now() - start;
  double flops = 2.0 * (wide ? 16 : 8) * CHAINS * (double)ITERATIONS * threads;
  printf("%.1f GFLOP/s %s %d threads\n", flops / seconds / 1e9,
         wide ? "AVX-512" : "AVX2", threads);
  return 0;
}
