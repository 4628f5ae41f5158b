/*===- cnnc/runtime.h - The cnnc runtime's C interface -------------------===*
 *
 * What code compiled by cnnc calls, and what applications that link it may
 * call: error reporting, workspace allocation, a parallel-for over a small
 * thread pool, the CPU feature check, a reader for IDX datasets and the
 * helpers of a training loop (batches, learning-rate schedules, metrics). Pure C;
 * link with -lcnnc_runtime -pthread (and -lz when reading datasets).
 *
 * Ownership: memory from cnnc_workspace_alloc belongs to the caller, who
 * frees it with cnnc_workspace_free. Strings returned by cnnc_last_error
 * belong to the runtime and stay valid until the next runtime call on the
 * same thread.
 *
 *===---------------------------------------------------------------------===*/

#ifndef CNNC_RUNTIME_H
#define CNNC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#define CNNC_RUNTIME_VERSION_MAJOR 0
#define CNNC_RUNTIME_VERSION_MINOR 4

/* Alignment of every workspace, in bytes (one cache line, one AVX-512 vector).
 */
#define CNNC_WORKSPACE_ALIGNMENT 64

#ifdef __cplusplus
extern "C" {
#endif

/*===-- Status codes
 * -------------------------------------------------------===*/

/* What every int-returning function of the runtime and of a compiled model
 * returns: CNNC_OK, or the kind of failure, with cnnc_last_error() saying
 * more. A caller can tell "this CPU lacks AVX-512" from "out of memory"
 * without reading the message. */
typedef enum cnnc_status {
  CNNC_OK = 0,
  /* A NULL or misaligned pointer, a value out of range, mismatched data. */
  CNNC_ERROR_INVALID_ARGUMENT = 1,
  /* The code was compiled for CPU features this CPU lacks (or that
   * CNNC_DISABLE_CPU_FEATURES turns off). */
  CNNC_ERROR_CPU_FEATURES = 2,
  /* A workspace or a buffer could not be allocated. */
  CNNC_ERROR_OUT_OF_MEMORY = 3,
  /* A file could not be opened or read, or is not in the expected format. */
  CNNC_ERROR_IO = 4,
  /* A bug in cnnc. */
  CNNC_ERROR_INTERNAL = 5
} cnnc_status;

/* A constant name for `status` ("ok", "out of memory", ...). */
const char *cnnc_status_name(int status);

/*===-- Tensors
 * ------------------------------------------------------------===*/

/* The element type of a tensor: ONNX's TensorProto.DataType numbering, the
 * one numbering cnnc uses everywhere (the generated headers, the ONNX
 * reader and exporter, cnnc train). Types marked "ONNX only" are never the
 * type of a compiled model's input or output. */
typedef enum cnnc_element_type {
  CNNC_ELEMENT_UNDEFINED = 0,
  CNNC_ELEMENT_FLOAT = 1, /* float */
  CNNC_ELEMENT_UINT8 = 2,
  CNNC_ELEMENT_INT8 = 3,
  CNNC_ELEMENT_UINT16 = 4,
  CNNC_ELEMENT_INT16 = 5,
  CNNC_ELEMENT_INT32 = 6,
  CNNC_ELEMENT_INT64 = 7,
  CNNC_ELEMENT_STRING = 8, /* ONNX only */
  CNNC_ELEMENT_BOOL = 9,   /* one byte, 0 or 1 */
  CNNC_ELEMENT_FLOAT16 = 10,
  CNNC_ELEMENT_DOUBLE = 11,
  CNNC_ELEMENT_UINT32 = 12,
  CNNC_ELEMENT_UINT64 = 13,
  CNNC_ELEMENT_COMPLEX64 = 14,  /* ONNX only */
  CNNC_ELEMENT_COMPLEX128 = 15, /* ONNX only */
  CNNC_ELEMENT_BFLOAT16 = 16
} cnnc_element_type;

/* One input or output of a compiled model (the generated header's
 * NAME_inputs[] and NAME_outputs[]): its graph name, element type
 * (cnnc_element_type), rank, shape and size in bytes (dense, row-major). */
typedef struct cnnc_tensor_info {
  const char *name;
  int element_type;
  int rank;
  const int64_t *shape;
  size_t bytes;
} cnnc_tensor_info;

/*===-- Errors
 * -------------------------------------------------------------===*/

/* The message of the last failure on the calling thread, or "" if none. */
const char *cnnc_last_error(void);

/* Records a printf-style message as the calling thread's last error. */
void cnnc_set_error(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Forgets the calling thread's last error. */
void cnnc_clear_error(void);

/*===-- Memory
 * -------------------------------------------------------------===*/

/* Allocates `size` bytes aligned to CNNC_WORKSPACE_ALIGNMENT. Returns NULL
 * (with cnnc_last_error set) when memory is exhausted. */
void *cnnc_workspace_alloc(size_t size);

/* Frees memory from cnnc_workspace_alloc; NULL is ignored. */
void cnnc_workspace_free(void *workspace);

/* The calling thread's workspace for `key` (compiled models pass an address
 * of their own), at least `size` bytes, kept and reused until the thread
 * exits. This is what a model's NAME_run uses when given a NULL workspace.
 * Returns NULL (with cnnc_last_error set) when memory is exhausted. */
void *cnnc_thread_workspace(const void *key, size_t size);

/*===-- Threads
 * ------------------------------------------------------------===*/

/* The body of a parallel loop: runs iterations [begin, end). */
typedef void (*cnnc_parallel_body)(void *context, int64_t begin, int64_t end);

/* Number of threads parallel loops use: CNNC_NUM_THREADS when set to a
 * positive number, else the number of cores. Fixed at first use. */
int cnnc_num_threads(void);

/* Runs body(context, begin, end) over disjoint chunks that cover
 * [0, count), each of at least `grain` iterations (but the last), on the
 * runtime's threads and the calling one; returns when all are done. Calls
 * from several threads at once are safe; a call from inside a body runs
 * serially on the calling thread. */
void cnnc_parallel_for(int64_t count, int64_t grain, cnnc_parallel_body body,
                       void *context);

/*===-- CPU features
 * -------------------------------------------------------===*/

/* 1 when the CPU (and the OS) support the instruction-set feature named as
 * LLVM names it ("avx2", "fma", "avx512f", ...), else 0. Features listed in
 * the environment variable CNNC_DISABLE_CPU_FEATURES (comma-separated)
 * count as missing: a way to test what a machine without them sees. */
int cnnc_cpu_has_feature(const char *feature);

/* 0 when the CPU has every feature of the comma-separated list `features`;
 * else CNNC_ERROR_CPU_FEATURES, with cnnc_last_error naming `model` and what
 * is missing.
 * Compiled models call it once before their first run. */
int cnnc_check_cpu_features(const char *model, const char *features);

/*===-- Datasets
 * -----------------------------------------------------------===*/

/* An IDX array of unsigned bytes (the MNIST and Fashion-MNIST format). */
typedef struct cnnc_idx {
  int rank;         /* 1 to 4 */
  int64_t dims[4];  /* dims[0] is the number of items */
  uint8_t *data;    /* dense, row-major */
  size_t size;      /* bytes of data */
} cnnc_idx;

/* Reads the IDX file `path`, gzip-compressed or not, into `out`. Returns
 * CNNC_OK; otherwise CNNC_ERROR_IO (a missing, malformed or truncated file)
 * or CNNC_ERROR_OUT_OF_MEMORY, with cnnc_last_error set and `out` empty.
 * Free with cnnc_idx_free. Programs that call it also link with -lz. */
int cnnc_idx_read(const char *path, cnnc_idx *out);

/* Frees what cnnc_idx_read allocated; `idx` becomes empty. */
void cnnc_idx_free(cnnc_idx *idx);


/*===-- Training
 * -----------------------------------------------------------===*/

/* A batch from IDX images [N, H, W] (bytes) and labels [N]: for each of the
 * `count` indices, the image scaled to [0, 1], then (x - mean) / std,
 * written as float [count, 1, H, W] to `images`, mirrored left-right when
 * `flip_mask` has that image's bit set (bit i: image i of the batch; NULL:
 * none), and its label to `labels` as int32. Returns CNNC_OK, or
 * CNNC_ERROR_INVALID_ARGUMENT with
 * cnnc_last_error set (an index out of range, mismatched files). */
int cnnc_idx_batch(const cnnc_idx *images, const cnnc_idx *labels,
                   const int64_t *indices, int64_t count, float mean,
                   float std, const uint8_t *flip_mask, float *out_images,
                   int32_t *out_labels);

/* How the learning rate changes over a run of `total_steps` optimizer
 * steps (PyTorch's schedulers, stepped once per optimizer step):
 *   CNNC_SCHEDULE_NONE    constant;
 *   CNNC_SCHEDULE_COSINE  base * (1 + cos(pi * step / total_steps)) / 2
 *                         (CosineAnnealingLR with T_max = total_steps);
 *   CNNC_SCHEDULE_STEP    base * gamma ^ floor(step / step_size).
 * With warmup_steps > 0 the rate also rises linearly over the first
 * warmup_steps steps: times (step + 1) / warmup_steps. */
typedef enum cnnc_schedule_kind {
  CNNC_SCHEDULE_NONE = 0,
  CNNC_SCHEDULE_COSINE = 1,
  CNNC_SCHEDULE_STEP = 2
} cnnc_schedule_kind;

typedef struct cnnc_schedule {
  cnnc_schedule_kind kind;
  double base;
  int64_t total_steps;
  int64_t step_size; /* CNNC_SCHEDULE_STEP */
  double gamma;      /* CNNC_SCHEDULE_STEP */
  int64_t warmup_steps;
} cnnc_schedule;

/* The learning rate of step `step` (0-based). */
double cnnc_learning_rate(const cnnc_schedule *schedule, int64_t step);

/* Accuracy and the macro averages of precision, recall and F1 over
 * `classes` classes from a confusion matrix (row: true class, column:
 * predicted). A class never predicted has precision 0, one absent from the
 * data recall 0 (as scikit-learn's zero_division=0). */
typedef struct cnnc_metrics {
  double accuracy, precision, recall, f1;
} cnnc_metrics;
cnnc_metrics cnnc_classification_metrics(const int64_t *confusion,
                                         int classes);

/* Weight initializations for cnnc_init_weight. */
typedef enum cnnc_init_kind {
  CNNC_INIT_KAIMING = 1, /* normal, std sqrt(2 / fan_in) (He et al.) */
  CNNC_INIT_XAVIER = 2   /* uniform, +-sqrt(6 / (fan_in + fan_out)) */
} cnnc_init_kind;

/* Fills a weight of `rank` >= 2 dimensions [out, in, kernel...] (a
 * convolution's or a linear layer's, PyTorch's layout: fan_in = in * the
 * kernel's size, fan_out = out * the kernel's size) from `seed`. Returns
 * CNNC_OK, or CNNC_ERROR_INVALID_ARGUMENT with cnnc_last_error set (a rank
 * below 2). A training
 * program re-initializes the state's parameters of rank >= 2 with it after
 * NAME_init_state; biases and batch-norm parameters keep their values. */
int cnnc_init_weight(float *data, int rank, const int64_t *shape,
                     cnnc_init_kind kind, uint64_t seed);

/* The index of the largest of `count` logits (the first on ties). */
int cnnc_argmax(const float *logits, int count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CNNC_RUNTIME_H */
