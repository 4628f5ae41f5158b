//===- Run.h - cnnc run: compile in-process, run, check ---------*- C++ -*-===//

#ifndef CNNC_TOOLS_CNNC_RUN_H
#define CNNC_TOOLS_CNNC_RUN_H

#include "LoadModel.h"

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Pipelines/Pipelines.h"

#include <string>
#include <vector>

namespace cnnc {

struct RunOptions {
  std::string model;
  /// NAME=FILE.pb
  std::vector<std::string> inputs;
  std::string outputDir;
  /// The ONNX test-data layout: DIR/input_N.pb, DIR/output_N.pb.
  std::string checkDir;
  double rtol = 1e-3, atol = 1e-5;
  int64_t repeat = 0;
  ModelBindings bindings;
  PipelineOptions pipeline;
  TargetOptions target;
};

/// `cnnc run`: 0 when it ran (and every output matched), 1 on a mismatch,
/// 2 on a user error, 3 on an internal one.
int runModel(RunOptions options);

} // namespace cnnc

#endif // CNNC_TOOLS_CNNC_RUN_H
