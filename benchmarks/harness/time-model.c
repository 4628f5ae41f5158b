/* Times a model compiled by cnnc, as an application links it: its first
 * input read from INPUT.raw (float32; random when not given, and any other
 * inputs random), one warm-up run, then RUNS runs; prints each run's
 * milliseconds on one line and writes the first output to OUTPUT.raw.
 * Build with -DMODEL_HEADER='"name.h"' -DMODEL=name.
 * Usage: time-model RUNS [INPUT.raw [OUTPUT.raw]] */
#define _POSIX_C_SOURCE 199309L
#include MODEL_HEADER

#include <cnnc/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 20;
  const void *inputs[16];
  void *outputs[16];
  for (int i = 0; i < CAT(MODEL, _num_inputs); ++i) {
    float *data = malloc(CAT(MODEL, _inputs)[i].bytes);
    for (size_t j = 0; j < CAT(MODEL, _inputs)[i].bytes / sizeof(float); ++j)
      data[j] = (float)rand() / RAND_MAX - 0.5f;
    inputs[i] = data;
  }
  if (argc > 2) {
    FILE *file = fopen(argv[2], "rb");
    size_t bytes = CAT(MODEL, _inputs)[0].bytes;
    if (!file || fread((void *)inputs[0], 1, bytes, file) != bytes) {
      fprintf(stderr, "cannot read %zu bytes from %s\n", bytes, argv[2]);
      return 1;
    }
    fclose(file);
  }
  for (int i = 0; i < CAT(MODEL, _num_outputs); ++i)
    outputs[i] = malloc(CAT(MODEL, _outputs)[i].bytes);
  void *workspace = cnnc_workspace_alloc(CAT(MODEL, _workspace_size)());
  if (CAT(MODEL, _run)(inputs, outputs, workspace) != 0) {
    fprintf(stderr, "run failed: %s\n", cnnc_last_error());
    return 1;
  }
  for (int r = 0; r < runs; ++r) {
    double start = now();
    CAT(MODEL, _run)(inputs, outputs, workspace);
    printf("%s%.4f", r ? " " : "", now() - start);
  }
  printf("\n");
  if (argc > 3) {
    FILE *file = fopen(argv[3], "wb");
    if (!file || fwrite(outputs[0], 1, CAT(MODEL, _outputs)[0].bytes, file) !=
                     CAT(MODEL, _outputs)[0].bytes) {
      fprintf(stderr, "cannot write %s\n", argv[3]);
      return 1;
    }
    fclose(file);
  }
  return 0;
}
