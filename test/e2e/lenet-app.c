/* The link test's application: plain C that includes the generated headers
 * of two models (the same LeNet-5 compiled twice, as `first` and `second`)
 * and links both objects with libcnnc_runtime. It checks:
 *   - the header's descriptors (names, shapes, sizes);
 *   - a run with a caller workspace and a run with a NULL one give
 *     PyTorch's logits (expected.raw) within rtol 1e-3 / atol 1e-4;
 *   - both models in one program, and concurrent runs with distinct
 *     workspaces on two threads, give the same numbers;
 *   - a NULL input is an error with a message, not a crash; so are a
 *     misaligned workspace and a misaligned input.
 * Usage: lenet-app INPUT.raw EXPECTED.raw; prints "ok" lines, exits 0. */
#include "first.h"
#include "second.h"

#include <cnnc/runtime.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *readFloats(const char *path, size_t bytes) {
  FILE *file = fopen(path, "rb");
  float *data = malloc(bytes);
  if (!file || !data || fread(data, 1, bytes, file) != bytes) {
    fprintf(stderr, "cannot read %zu bytes from %s\n", bytes, path);
    exit(2);
  }
  fclose(file);
  return data;
}

static const float *input, *expected;

static int matches(const float *logits, const char *what) {
  size_t n = first_outputs[0].bytes / sizeof(float);
  double worst = 0;
  for (size_t i = 0; i < n; ++i) {
    double error = fabs((double)logits[i] - expected[i]);
    if (error > 1e-4 + 1e-3 * fabs(expected[i])) {
      printf("%s: MISMATCH at %zu: %g, expected %g\n", what, i, logits[i],
             expected[i]);
      return 0;
    }
    if (error > worst)
      worst = error;
  }
  printf("%s: ok (max abs error %.2g)\n", what, worst);
  return 1;
}

typedef struct {
  int (*run)(const void *const *, void *const *, void *);
  size_t workspace;
  int ok;
} Job;

static void *runJob(void *argument) {
  Job *job = argument;
  void *workspace = cnnc_workspace_alloc(job->workspace);
  float logits[40];
  const void *inputs[] = {input};
  void *outputs[] = {logits};
  job->ok = 1;
  for (int i = 0; i < 20 && job->ok; ++i) {
    memset(logits, 0, sizeof(logits));
    job->ok = job->run(inputs, outputs, workspace) == 0 &&
              (i < 19 || matches(logits, "a concurrent run"));
  }
  cnnc_workspace_free(workspace);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INPUT.raw EXPECTED.raw\n", argv[0]);
    return 2;
  }
  /* The header describes the model. */
  if (first_num_inputs != 1 || first_num_outputs != 1 ||
      strcmp(first_inputs[0].name, "image") != 0 ||
      strcmp(first_outputs[0].name, "logits") != 0 ||
      first_inputs[0].element_type != CNNC_ELEMENT_FLOAT || first_inputs[0].rank != 4 ||
      first_inputs[0].shape[0] != 4 || first_inputs[0].shape[3] != 28 ||
      first_inputs[0].bytes != 4 * 28 * 28 * sizeof(float) ||
      first_outputs[0].bytes != 4 * 10 * sizeof(float)) {
    printf("the header's descriptors are wrong\n");
    return 1;
  }
  printf("header: ok (%s %lldx%lldx%lldx%lld -> %s, workspace %zu bytes)\n",
         first_inputs[0].name, (long long)first_inputs[0].shape[0],
         (long long)first_inputs[0].shape[1],
         (long long)first_inputs[0].shape[2],
         (long long)first_inputs[0].shape[3], first_outputs[0].name,
         first_workspace_size());
  input = readFloats(argv[1], first_inputs[0].bytes);
  expected = readFloats(argv[2], first_outputs[0].bytes);

  float logits[40];
  const void *inputs[] = {input};
  void *outputs[] = {logits};
  void *workspace = cnnc_workspace_alloc(first_workspace_size());
  int status = first_run(inputs, outputs, workspace);
  if (status != CNNC_OK) {
    printf("first_run failed (%s): %s\n", cnnc_status_name(status),
           cnnc_last_error());
    return 1;
  }
  int ok = matches(logits, "caller's workspace");
  cnnc_workspace_free(workspace);

  memset(logits, 0, sizeof(logits));
  if (second_run(inputs, outputs, NULL) != 0) {
    printf("second_run failed: %s\n", cnnc_last_error());
    return 1;
  }
  ok &= matches(logits, "second model, runtime's workspace");

  Job jobs[2] = {{first_run, first_workspace_size(), 0},
                 {second_run, second_workspace_size(), 0}};
  pthread_t threads[2];
  for (int i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, runJob, &jobs[i]);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);
  ok &= jobs[0].ok && jobs[1].ok;

  const void *missing[] = {NULL};
  status = first_run(missing, outputs, NULL);
  if (status != CNNC_ERROR_INVALID_ARGUMENT) {
    printf("a NULL input gave status %d, not CNNC_ERROR_INVALID_ARGUMENT\n",
           status);
    return 1;
  }
  printf("NULL input: %s\n", cnnc_last_error());

  // A workspace off its 64-byte alignment, and an input off its 4-byte
  // floats: errors, not a crash or a wrong answer.
  char *block = cnnc_workspace_alloc(first_workspace_size() + 64);
  status = first_run(inputs, outputs, block + 8);
  if (status != CNNC_ERROR_INVALID_ARGUMENT) {
    printf("a misaligned workspace gave status %d\n", status);
    return 1;
  }
  printf("misaligned workspace: %s\n", cnnc_last_error());
  static float shifted[4 * 28 * 28 + 1];
  const void *unaligned[] = {(const char *)shifted + 2};
  status = first_run(unaligned, outputs, block);
  if (status != CNNC_ERROR_INVALID_ARGUMENT) {
    printf("a misaligned input gave status %d\n", status);
    return 1;
  }
  printf("misaligned input: %s\n", cnnc_last_error());
  cnnc_workspace_free(block);
  return ok ? 0 : 1;
}
