//===- Header.cpp - The C header of a compiled model ----------------------===//

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/Training/TrainStep.h"

#include "cnnc/runtime.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace cnnc {

namespace {

const char *cTypeName(int elementType) {
  switch (elementType) {
  case CNNC_ELEMENT_FLOAT:
    return "float";
  case CNNC_ELEMENT_UINT8:
    return "uint8_t";
  case CNNC_ELEMENT_INT8:
    return "int8_t";
  case CNNC_ELEMENT_UINT16:
    return "uint16_t";
  case CNNC_ELEMENT_INT16:
    return "int16_t";
  case CNNC_ELEMENT_INT32:
    return "int32_t";
  case CNNC_ELEMENT_INT64:
    return "int64_t";
  case CNNC_ELEMENT_BOOL:
    return "bool (1 byte)";
  case CNNC_ELEMENT_FLOAT16:
    return "float16 (uint16_t bits)";
  case CNNC_ELEMENT_DOUBLE:
    return "double";
  case CNNC_ELEMENT_UINT32:
    return "uint32_t";
  case CNNC_ELEMENT_UINT64:
    return "uint64_t";
  case CNNC_ELEMENT_BFLOAT16:
    return "bfloat16 (uint16_t bits)";
  default:
    return "?";
  }
}

/// `text` as a C string literal.
std::string quoted(llvm::StringRef text) {
  std::string result = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      result += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      result += llvm::formatv("\\{0:o3}", static_cast<unsigned>(c)).str();
      continue;
    }
    result += c;
  }
  return result + "\"";
}

std::string shapeText(const TensorDescription &tensor) {
  std::string text;
  for (int64_t dim : tensor.shape)
    text += (text.empty() ? "" : "x") + std::to_string(dim);
  return text.empty() ? "scalar" : text;
}

void writeTensorTable(llvm::raw_ostream &os, const ModelInterface &model,
                      llvm::StringRef kind,
                      const std::vector<TensorDescription> &tensors) {
  const std::string &n = model.name;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorDescription &tensor = tensors[i];
    os << "static const int64_t " << n << "_" << kind << "_" << i << "_shape["
       << std::max<size_t>(tensor.shape.size(), 1) << "] = {";
    if (tensor.shape.empty())
      os << "1";
    for (size_t d = 0; d < tensor.shape.size(); ++d)
      os << (d ? ", " : "") << tensor.shape[d];
    os << "};\n";
  }
  os << "static const cnnc_tensor_info " << n << "_" << kind << "s["
     << tensors.size() << "] = {\n";
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorDescription &tensor = tensors[i];
    os << "    {" << quoted(tensor.name) << ", " << tensor.elementType << ", "
       << tensor.shape.size() << ", " << n << "_" << kind << "_" << i
       << "_shape, " << tensor.bytes << "u},\n";
  }
  os << "};\n";
}

/// The declarations of a training object (compile --train).
void writeTrainingInterface(llvm::raw_ostream &os,
                            const ModelInterface &model) {
  const std::string &n = model.name;
  const TrainingInterface &training = *model.training;
  os << "/*===-- Training "
        "------------------------------------------------------===*/\n\n"
     << "/* The state: every parameter, batch-norm statistic and optimizer\n"
     << " * slot, each at its offset (64-byte aligned) in one buffer of\n"
     << " * " << n << "_state_size() bytes. */\n"
     << "typedef struct " << n << "_state_tensor {\n"
     << "  const char *name; /* the model's initializer, or NAME.slot */\n"
     << "  const char *kind; /* \"parameter\", \"statistic\" or \"slot\" */\n"
     << "  size_t offset;\n  size_t bytes;\n  int rank;\n"
     << "  int64_t shape[4];\n} " << n << "_state_tensor;\n\n"
     << "enum { " << n << "_num_state_tensors = " << training.state.size()
     << " };\n"
     << "static const " << n << "_state_tensor " << n << "_state_tensors["
     << training.state.size() << "] = {\n";
  for (const StateTensor &tensor : training.state) {
    os << "    {" << quoted(tensor.name) << ", " << quoted(tensor.kind) << ", "
       << tensor.offset << "u, " << tensor.bytes << "u, " << tensor.shape.size()
       << ", {";
    for (size_t d = 0; d < 4; ++d)
      os << (d ? ", " : "") << (d < tensor.shape.size() ? tensor.shape[d] : 0);
    os << "}},\n";
  }
  os << "};\n\n"
     << "/* The train step's labels: " << cTypeName(training.labels.elementType)
     << " " << shapeText(training.labels) << ". */\n\n"
     << "/* The hyper-parameters of " << n
     << "_train_step, in this order. */\n";
  using namespace training;
  const std::pair<const char *, int> hyper[] = {
      {"learning_rate", kLearningRate},
      {"momentum", kMomentum},
      {"weight_decay", kWeightDecay},
      {"beta1", kBeta1},
      {"beta2", kBeta2},
      {"epsilon", kEpsilon},
      {"bias_correction1", kBiasCorrection1}, // 1 / (1 - beta1^t)
      {"bias_correction2", kBiasCorrection2}, // 1 / sqrt(1 - beta2^t)
  };
  os << "enum {\n";
  for (auto [name, index] : hyper)
    os << "  " << n << "_hyper_" << name << " = " << index << ",\n";
  os << "  " << n << "_num_hyper = " << kHyperParameterCount << ",\n};\n"
     << "/* bias_correction1 = 1 / (1 - beta1^t), bias_correction2 =\n"
     << " * 1 / sqrt(1 - beta2^t), t the step from 1. */\n\n"
     << "size_t " << n << "_state_size(void);\n"
     << "/* Scratch for " << n << "_train_step and " << n << "_evaluate. */\n"
     << "size_t " << n << "_train_workspace_size(void);\n"
     << "/* Fills the state: the model's weights and statistics, zero\n"
     << " * optimizer slots. */\n"
     << "int " << n << "_init_state(void *state);\n"
     << "/* One optimizer step on a batch: forward, loss, backward, update\n"
     << " * (the state in place). hyper: " << n
     << "_num_hyper floats; key: the dropout\n"
     << " * draw (a new one each step). Writes the batch's mean loss and the\n"
     << " * logits. workspace: " << n
     << "_train_workspace_size() bytes or NULL. */\n"
     << "int " << n
     << "_train_step(void *state, const void *input, const void *labels,\n"
     << "    const float *hyper, int64_t key, float *loss, void *logits,\n"
     << "    void *workspace);\n"
     << "/* The model in inference form (running statistics, no dropout)\n"
     << " * with the state's parameters. */\n"
     << "int " << n
     << "_evaluate(const void *state, const void *input, void *logits,\n"
     << "    void *workspace);\n\n";
}

} // namespace

void writeCHeader(llvm::raw_ostream &os, const ModelInterface &model) {
  const std::string &n = model.name;
  std::string guard = llvm::StringRef(n).upper() + "_H";
  os << "/* " << n << ".h: the C interface of model '" << n
     << "', generated by cnnc. Do not edit.\n"
     << " *\n"
     << " * Link: c++ app.o " << n
     << ".o -Lbuild/lib -lcnnc_runtime -pthread -o app\n"
     << " *\n";
  os << " * Inputs (graph order):\n";
  for (size_t i = 0; i < model.inputs.size(); ++i)
    os << " *   " << i << ": " << model.inputs[i].name << "  "
       << cTypeName(model.inputs[i].elementType) << " "
       << shapeText(model.inputs[i]) << "\n";
  os << " * Outputs (graph order):\n";
  for (size_t i = 0; i < model.outputs.size(); ++i)
    os << " *   " << i << ": " << model.outputs[i].name << "  "
       << cTypeName(model.outputs[i].elementType) << " "
       << shapeText(model.outputs[i]) << "\n";
  os << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "/* cnnc_tensor_info, cnnc_element_type, cnnc_status, cnnc_last_error:\n"
     << " * build/include, or where cnnc is installed. */\n"
     << "#include <cnnc/runtime.h>\n\n"
     << "/* The version of cnnc's generated interface. */\n"
     << "#define " << llvm::StringRef(n).upper() << "_CNNC_ABI_VERSION 2\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "enum {\n  " << n << "_num_inputs = " << model.inputs.size() << ",\n  "
     << n << "_num_outputs = " << model.outputs.size() << ",\n};\n\n";
  writeTensorTable(os, model, "input", model.inputs);
  writeTensorTable(os, model, "output", model.outputs);
  os << "\n/* Bytes of scratch memory one " << n << "_run needs ("
     << model.workspaceBytes << "). */\n"
     << "size_t " << n << "_workspace_size(void);\n\n"
     << "/* Runs the model. inputs[i] and outputs[i] point at dense tensors\n"
     << " * as described above, in graph order. workspace: " << n
     << "_workspace_size()\n"
     << " * bytes aligned to 64 (cnnc_workspace_alloc), or NULL for one the\n"
     << " * runtime allocates and keeps per thread. Calls with distinct\n"
     << " * workspaces may run concurrently. Returns CNNC_OK (0); otherwise a\n"
     << " * cnnc_status (a NULL pointer, a CPU without the features the\n"
     << " * object was compiled for, no memory for the workspace), and\n"
     << " * cnnc_last_error() says more. */\n"
     << "int " << n
     << "_run(const void *const *inputs, void *const *outputs, void "
        "*workspace);\n\n";
  if (model.training)
    writeTrainingInterface(os, model);
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
}

} // namespace cnnc
