/* Runs STEPS train steps of a model compiled with `cnnc compile --train
 * --name model` on one batch, printing the loss of each, and writes every
 * parameter and statistic of the state to OUTDIR/<name>.raw.
 *
 * Usage: train-step INPUT.raw LABELS.raw OUTDIR STEPS LR MOMENTUM DECAY
 *        [BETA1 BETA2 EPSILON] */
#include "model.h"

#include <cnnc/runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *read_file(const char *path, size_t bytes) {
  FILE *f = fopen(path, "rb");
  void *data = malloc(bytes);
  if (!f || fread(data, 1, bytes, f) != bytes) {
    fprintf(stderr, "cannot read %zu bytes from %s\n", bytes, path);
    exit(1);
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: train-step INPUT LABELS OUTDIR STEPS LR "
                    "MOMENTUM DECAY [BETA1 BETA2 EPSILON]\n");
    return 2;
  }
  void *input = read_file(argv[1], model_inputs[0].bytes);
  size_t batch = (size_t)model_inputs[0].shape[0];
  void *labels = read_file(argv[2], batch * sizeof(int32_t));
  int steps = atoi(argv[4]);
  float hyper[model_num_hyper] = {0};
  hyper[model_hyper_learning_rate] = (float)atof(argv[5]);
  hyper[model_hyper_momentum] = (float)atof(argv[6]);
  hyper[model_hyper_weight_decay] = (float)atof(argv[7]);
  double beta1 = argc > 8 ? atof(argv[8]) : 0.9;
  double beta2 = argc > 9 ? atof(argv[9]) : 0.999;
  hyper[model_hyper_beta1] = (float)beta1;
  hyper[model_hyper_beta2] = (float)beta2;
  hyper[model_hyper_epsilon] = argc > 10 ? (float)atof(argv[10]) : 1e-8f;

  void *state = cnnc_workspace_alloc(model_state_size());
  void *workspace = cnnc_workspace_alloc(model_train_workspace_size());
  float *logits = malloc(model_outputs[0].bytes);
  if (model_init_state(state) != 0) {
    fprintf(stderr, "init: %s\n", cnnc_last_error());
    return 1;
  }
  for (int t = 1; t <= steps; ++t) {
    hyper[model_hyper_bias_correction1] = (float)(1.0 / (1.0 - pow(beta1, t)));
    hyper[model_hyper_bias_correction2] =
        (float)(1.0 / sqrt(1.0 - pow(beta2, t)));
    float loss = 0;
    if (model_train_step(state, input, labels, hyper, t, &loss, logits,
                         workspace) != 0) {
      fprintf(stderr, "step %d: %s\n", t, cnnc_last_error());
      return 1;
    }
    printf("loss %d %.9g\n", t, loss);
  }
  for (int i = 0; i < model_num_state_tensors; ++i) {
    const model_state_tensor *tensor = &model_state_tensors[i];
    if (strcmp(tensor->kind, "slot") == 0)
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.raw", argv[3], tensor->name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite((char *)state + tensor->offset, 1, tensor->bytes, f) !=
                  tensor->bytes) {
      fprintf(stderr, "cannot write %s\n", path);
      return 1;
    }
    fclose(f);
  }
  cnnc_workspace_free(workspace);
  cnnc_workspace_free(state);
  free(logits);
  free(input);
  free(labels);
  return 0;
}
