/* Runs a compiled model once on zeros (NULL workspace: the runtime's) and
 * prints the process's peak resident memory, for benchmarks/memory/rss.sh.
 * Build: cc -DMODEL_HEADER='"resnet18.h"' -DMODEL=resnet18 ... */
#include MODEL_HEADER

#include <cnnc/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

int main(void) {
  const void *inputs[16];
  void *outputs[16];
  for (int i = 0; i < CAT(MODEL, _num_inputs); ++i)
    inputs[i] = calloc(1, CAT(MODEL, _inputs)[i].bytes);
  for (int i = 0; i < CAT(MODEL, _num_outputs); ++i)
    outputs[i] = calloc(1, CAT(MODEL, _outputs)[i].bytes);
  if (CAT(MODEL, _run)(inputs, outputs, NULL) != 0) {
    fprintf(stderr, "run failed: %s\n", cnnc_last_error());
    return 1;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("workspace %zu bytes, peak RSS %ld KiB\n",
         CAT(MODEL, _workspace_size)(), usage.ru_maxrss);
  return 0;
}
