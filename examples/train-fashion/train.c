/* Trains a model compiled with `cnnc compile --train --name fashion` on
 * Fashion-MNIST for one epoch, in plain C: the runtime reads the IDX files,
 * makes the batches and the learning rate; the object does the rest. Then
 * scores the test set with fashion_evaluate.
 *
 *   cnnc compile --train --batch 64 fashion-net.onnx -o fashion.o
 *   cc -c train.c -Ibuild/include -I. && \
 *     c++ train.o fashion.o -Lbuild/lib -lcnnc_runtime -lz -lm -pthread -o train
 *   ./train /usr/share/datasets/fashion-mnist [TRAIN_IMAGES]
 */
#include "fashion.h"

#include <cnnc/runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLASSES 10

static int load(const char *dir, const char *name, cnnc_idx *into) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (cnnc_idx_read(path, into) != 0) {
    fprintf(stderr, "%s\n", cnnc_last_error());
    return 1;
  }
  return 0;
}

/* A random permutation of 0..n-1 (xorshift, seeded). */
static void shuffle(int64_t *order, int64_t n, uint64_t seed) {
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    int64_t j = (int64_t)(seed % (uint64_t)(i + 1));
    int64_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  cnnc_idx train_images, train_labels, test_images, test_labels;
  if (load(dir, "train-images-idx3-ubyte.gz", &train_images) ||
      load(dir, "train-labels-idx1-ubyte.gz", &train_labels) ||
      load(dir, "t10k-images-idx3-ubyte.gz", &test_images) ||
      load(dir, "t10k-labels-idx1-ubyte.gz", &test_labels))
    return 1;
  const int64_t batch = fashion_inputs[0].shape[0];
  int64_t count = train_images.dims[0];
  if (argc > 2 && atoll(argv[2]) > 0 && atoll(argv[2]) < count)
    count = atoll(argv[2]);
  const int64_t steps = count / batch;

  void *state = cnnc_workspace_alloc(fashion_state_size());
  void *workspace = cnnc_workspace_alloc(fashion_train_workspace_size());
  float *images = malloc(fashion_inputs[0].bytes);
  int32_t *labels = malloc(batch * sizeof(int32_t));
  float *logits = malloc(fashion_outputs[0].bytes);
  int64_t *order = malloc(count * sizeof(int64_t));
  if (!state || !workspace || !images || !labels || !logits || !order ||
      fashion_init_state(state) != 0) {
    fprintf(stderr, "setup failed: %s\n", cnnc_last_error());
    return 1;
  }

  /* SGD, momentum 0.9, lr 0.05 annealed to 0 over the epoch. */
  cnnc_schedule schedule = {CNNC_SCHEDULE_COSINE, 0.05, steps, 0, 0.0, 0};
  float hyper[fashion_num_hyper] = {0};
  hyper[fashion_hyper_momentum] = 0.9f;
  shuffle(order, count, 42);
  double loss_sum = 0;
  for (int64_t step = 0; step < steps; ++step) {
    hyper[fashion_hyper_learning_rate] =
        (float)cnnc_learning_rate(&schedule, step);
    float loss;
    if (cnnc_idx_batch(&train_images, &train_labels, order + step * batch,
                       batch, 0.2860f, 0.3530f, NULL, images, labels) != 0 ||
        fashion_train_step(state, images, labels, hyper, step, &loss, logits,
                           workspace) != 0) {
      fprintf(stderr, "step %lld: %s\n", (long long)step, cnnc_last_error());
      return 1;
    }
    loss_sum += loss;
    if ((step + 1) % 100 == 0 || step + 1 == steps)
      printf("step %lld/%lld  loss %.4f\n", (long long)(step + 1),
             (long long)steps, loss_sum / (step + 1));
  }

  /* The test set: full batches (the few left over are not scored). */
  int64_t confusion[CLASSES * CLASSES] = {0};
  int64_t indices[4096];
  if (batch > 4096)
    return 1;
  for (int64_t first = 0; first + batch <= test_images.dims[0];
       first += batch) {
    for (int64_t i = 0; i < batch; ++i)
      indices[i] = first + i;
    if (cnnc_idx_batch(&test_images, &test_labels, indices, batch, 0.2860f,
                       0.3530f, NULL, images, labels) != 0 ||
        fashion_evaluate(state, images, logits, workspace) != 0) {
      fprintf(stderr, "evaluate: %s\n", cnnc_last_error());
      return 1;
    }
    for (int64_t i = 0; i < batch; ++i)
      ++confusion[labels[i] * CLASSES +
                  cnnc_argmax(logits + i * CLASSES, CLASSES)];
  }
  cnnc_metrics m = cnnc_classification_metrics(confusion, CLASSES);
  printf("test accuracy %.2f%%  precision %.4f  recall %.4f  F1 %.4f\n",
         100 * m.accuracy, m.precision, m.recall, m.f1);

  free(order);
  free(logits);
  free(labels);
  free(images);
  cnnc_workspace_free(workspace);
  cnnc_workspace_free(state);
  cnnc_idx_free(&train_images);
  cnnc_idx_free(&train_labels);
  cnnc_idx_free(&test_images);
  cnnc_idx_free(&test_labels);
  return 0;
}
