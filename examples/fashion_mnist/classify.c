/* Classifies the Fashion-MNIST test set with the bundled model compiled by
 * cnnc: plain C, the generated header fashion_cnn.h, the runtime's IDX
 * reader. Prints a few predictions, the accuracy, and the latency of one
 * fashion_cnn_run (one batch) as median and mean over the whole set.
 *
 *   cnnc compile fashion_cnn.onnx --batch 1 -o fashion_cnn.o
 *   cc -c classify.c -I. -Ibuild/include
 *   c++ classify.o fashion_cnn.o -Lbuild/lib -lcnnc_runtime -lz -pthread
 *
 * Usage: classify [DATA_DIR [COUNT]]   (default /usr/share/datasets/fashion-mnist)
 */
#define _POSIX_C_SOURCE 199309L
#include "fashion_cnn.h"

#include <cnnc/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kClasses[10] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compareDoubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int load(const char *dir, const char *file, cnnc_idx *idx) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  if (cnnc_idx_read(path, idx) != 0) {
    fprintf(stderr, "classify: %s\n", cnnc_last_error());
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  cnnc_idx images, labels;
  if (!load(dir, "t10k-images-idx3-ubyte.gz", &images) ||
      !load(dir, "t10k-labels-idx1-ubyte.gz", &labels))
    return 2;
  int64_t count = images.dims[0];
  if (argc > 2 && atoll(argv[2]) > 0 && atoll(argv[2]) < count)
    count = atoll(argv[2]);
  const int64_t batch = fashion_cnn_inputs[0].shape[0];
  const int64_t pixels = 28 * 28, classes = 10;
  if (images.rank != 3 || images.dims[1] != 28 || images.dims[2] != 28 ||
      fashion_cnn_inputs[0].bytes != (size_t)(batch * pixels) * sizeof(float) ||
      fashion_cnn_outputs[0].bytes != (size_t)(batch * classes) * sizeof(float)) {
    fprintf(stderr, "classify: the model or the data is not 28x28 -> 10\n");
    return 2;
  }
  count -= count % batch;

  float *input = malloc(fashion_cnn_inputs[0].bytes);
  float *logits = malloc(fashion_cnn_outputs[0].bytes);
  void *workspace = cnnc_workspace_alloc(fashion_cnn_workspace_size());
  double *seconds = malloc(sizeof(double) * (size_t)(count / batch + 1));
  if (!input || !logits || !workspace || !seconds) {
    fprintf(stderr, "classify: out of memory\n");
    return 2;
  }
  const void *inputs[1] = {input};
  void *outputs[1] = {logits};
  int64_t correct = 0, runs = 0;
  double total = 0;
  printf("cnnc: classifying %lld Fashion-MNIST test images, batch %lld, %d "
         "threads\n",
         (long long)count, (long long)batch, cnnc_num_threads());
  for (int64_t first = 0; first < count; first += batch) {
    for (int64_t i = 0; i < batch * pixels; ++i)
      input[i] = images.data[first * pixels + i] / 255.0f;
    double start = now();
    if (fashion_cnn_run(inputs, outputs, workspace) != 0) {
      fprintf(stderr, "classify: %s\n", cnnc_last_error());
      return 1;
    }
    seconds[runs] = now() - start;
    total += seconds[runs++];
    for (int64_t b = 0; b < batch; ++b) {
      int best = 0;
      for (int c = 1; c < classes; ++c)
        if (logits[b * classes + c] > logits[b * classes + best])
          best = c;
      int label = labels.data[first + b];
      correct += best == label;
      if (first + b < 8)
        printf("  image %lld: %-11s (label %-11s) %s\n",
               (long long)(first + b), kClasses[best], kClasses[label],
               best == label ? "ok" : "wrong");
    }
  }
  qsort(seconds, (size_t)runs, sizeof(double), compareDoubles);
  printf("accuracy: %.2f%% (%lld of %lld)\n", 100.0 * correct / count,
         (long long)correct, (long long)count);
  printf("latency per run (batch %lld): median %.1f us, mean %.1f us; %.0f "
         "images/s\n",
         (long long)batch, seconds[runs / 2] * 1e6, total / runs * 1e6,
         count / total);
  cnnc_workspace_free(workspace);
  free(seconds);
  free(input);
  free(logits);
  cnnc_idx_free(&images);
  cnnc_idx_free(&labels);
  return 0;
}
