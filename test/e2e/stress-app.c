/* The runtime under concurrent callers: one model (`stress`, LeNet-5 at
 * batch 4) run from THREADS threads at once, each with its own workspace,
 * CALLS times each; every output must equal, bit for bit, the output of one
 * run on the main thread before them (the compiled code is deterministic:
 * no run may see another's workspace or a half-finished parallel loop).
 * Usage: stress-app INPUT.raw THREADS CALLS; prints one line, exits 0 when
 * every output matched. */
#include "stress.h"

#include <cnnc/runtime.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *input;
static void *reference;
static size_t outputBytes;
static long calls;

typedef struct {
  long mismatches, failures;
} Result;

static void *worker(void *argument) {
  Result *result = argument;
  void *workspace = cnnc_workspace_alloc(stress_workspace_size());
  void *output = malloc(outputBytes);
  if (!workspace || !output) {
    result->failures = calls;
    return NULL;
  }
  const void *inputs[] = {input};
  void *outputs[] = {output};
  for (long i = 0; i < calls; ++i) {
    memset(output, 0xff, outputBytes);
    if (stress_run(inputs, outputs, workspace) != 0)
      ++result->failures;
    else if (memcmp(output, reference, outputBytes) != 0)
      ++result->mismatches;
  }
  free(output);
  cnnc_workspace_free(workspace);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: stress-app INPUT.raw THREADS CALLS\n");
    return 2;
  }
  int threads = atoi(argv[2]);
  calls = atol(argv[3]);
  if (threads < 1 || threads > 64 || calls < 1) {
    fprintf(stderr, "stress-app: THREADS 1..64, CALLS >= 1\n");
    return 2;
  }
  size_t inputBytes = stress_inputs[0].bytes;
  outputBytes = stress_outputs[0].bytes;
  input = malloc(inputBytes);
  reference = malloc(outputBytes);
  FILE *file = fopen(argv[1], "rb");
  if (!file || !input || !reference ||
      fread(input, 1, inputBytes, file) != inputBytes) {
    fprintf(stderr, "stress-app: cannot read %zu bytes from %s\n", inputBytes,
            argv[1]);
    return 2;
  }
  fclose(file);
  const void *inputs[] = {input};
  void *outputs[] = {reference};
  if (stress_run(inputs, outputs, NULL) != 0) {
    fprintf(stderr, "stress-app: %s\n", cnnc_last_error());
    return 1;
  }
  pthread_t ids[64];
  Result results[64];
  memset(results, 0, sizeof results);
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, worker, &results[t]);
  long mismatches = 0, failures = 0;
  for (int t = 0; t < threads; ++t) {
    pthread_join(ids[t], NULL);
    mismatches += results[t].mismatches;
    failures += results[t].failures;
  }
  if (mismatches || failures) {
    printf("%d threads x %ld calls: %ld outputs differ, %ld runs failed\n",
           threads, calls, mismatches, failures);
    return 1;
  }
  printf("%d threads x %ld calls: every output bit-identical\n", threads,
         calls);
  return 0;
}
