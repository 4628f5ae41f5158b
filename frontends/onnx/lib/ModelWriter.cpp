//===- ModelWriter.cpp - Trained values into an inference ModelProto ------===//

#include "cnnc/Frontend/ONNX/ModelWriter.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx_pb.h"

#include <cstring>

namespace cnnc::onnx {

namespace {

namespace proto = ::onnx;

llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// Moves the last node of `graph` to position `index`.
void moveLastNodeTo(proto::GraphProto &graph, int index) {
  for (int i = graph.node_size() - 1; i > index; --i)
    graph.mutable_node()->SwapElements(i, i - 1);
}

proto::TensorProto scalarInitializer(const std::string &name, float value) {
  proto::TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(proto::TensorProto::FLOAT);
  tensor.add_dims(1);
  tensor.set_raw_data(
      std::string(reinterpret_cast<const char *>(&value), sizeof(float)));
  return tensor;
}

} // namespace

llvm::Expected<std::string>
writeInferenceModel(llvm::StringRef path, llvm::ArrayRef<TrainedTensor> tensors,
                    std::optional<InputNormalization> normalization) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return fail(path, "cannot read the file: " + file.getError().message());
  return rewriteInferenceModel((*file)->getBuffer(), path, tensors,
                               normalization);
}

llvm::Expected<std::string>
rewriteInferenceModel(llvm::StringRef bytes, llvm::StringRef path,
                      llvm::ArrayRef<TrainedTensor> tensors,
                      std::optional<InputNormalization> normalization) {
  proto::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail(path, "not an ONNX model (it does not parse as a ModelProto)");
  proto::GraphProto &graph = *model.mutable_graph();

  // The trained values.
  llvm::StringMap<proto::TensorProto *> initializers;
  for (proto::TensorProto &tensor : *graph.mutable_initializer())
    initializers[tensor.name()] = &tensor;
  for (const TrainedTensor &trained : tensors) {
    proto::TensorProto *tensor = initializers.lookup(trained.name);
    if (!tensor)
      return fail(path, "the model has no initializer '" + trained.name +
                            "' to hold the trained tensor of that name");
    int64_t count = 1;
    for (int64_t dim : tensor->dims())
      count *= dim;
    if (tensor->data_type() != proto::TensorProto::FLOAT ||
        count != trained.count)
      return fail(path, "initializer '" + trained.name + "' is not " +
                            std::to_string(trained.count) +
                            " float elements, as trained");
    tensor->clear_float_data();
    tensor->clear_external_data();
    tensor->set_data_location(proto::TensorProto::DEFAULT);
    tensor->set_raw_data(
        std::string(reinterpret_cast<const char *>(trained.data),
                    static_cast<size_t>(trained.count) * sizeof(float)));
  }

  // What the graph reads.
  auto readNames = [&graph] {
    llvm::StringSet<> names;
    for (const proto::NodeProto &node : graph.node())
      for (const std::string &input : node.input())
        names.insert(input);
    for (const proto::ValueInfoProto &output : graph.output())
      names.insert(output.name());
    return names;
  };
  llvm::StringSet<> read = readNames();

  // Inference forms.
  for (proto::NodeProto &node : *graph.mutable_node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue;
    if (node.op_type() == "BatchNormalization") {
      while (node.output_size() > 1)
        node.mutable_output()->RemoveLast();
      auto *attributes = node.mutable_attribute();
      for (int i = attributes->size() - 1; i >= 0; --i)
        if (attributes->Get(i).name() == "training_mode")
          attributes->DeleteSubrange(i, 1);
    } else if (node.op_type() == "Dropout") {
      if (node.output_size() > 1 && read.contains(node.output(1)))
        return fail(path, "Dropout node '" + node.name() +
                              "' has its mask read; cannot drop it");
      std::string input = node.input(0), output = node.output(0);
      node.clear_input();
      node.clear_output();
      node.clear_attribute();
      node.set_op_type("Identity");
      node.add_input(input);
      node.add_output(output);
    }
  }
  // Constants nothing reads any more (Dropout's ratio and training_mode).
  read = readNames();
  for (int i = graph.node_size() - 1; i >= 0; --i) {
    const proto::NodeProto &node = graph.node(i);
    if (node.op_type() == "Constant" && node.output_size() == 1 &&
        !read.contains(node.output(0)))
      graph.mutable_node()->DeleteSubrange(i, 1);
  }

  // The normalization, as the graph's first nodes.
  if (normalization) {
    if (graph.input_size() == 0)
      return fail(path, "the model has no input to normalize");
    std::string input = graph.input(0).name();
    std::string centered = input + "_centered", scaled = input + "_normalized";
    for (proto::NodeProto &node : *graph.mutable_node())
      for (std::string &name : *node.mutable_input())
        if (name == input)
          name = scaled;
    *graph.add_initializer() =
        scalarInitializer(input + "_mean", normalization->mean);
    *graph.add_initializer() =
        scalarInitializer(input + "_std", normalization->std);
    proto::NodeProto *sub = graph.add_node();
    sub->set_op_type("Sub");
    sub->set_name(input + "_subtract_mean");
    sub->add_input(input);
    sub->add_input(input + "_mean");
    sub->add_output(centered);
    moveLastNodeTo(graph, 0);
    proto::NodeProto *div = graph.add_node();
    div->set_op_type("Div");
    div->set_name(input + "_divide_by_std");
    div->add_input(centered);
    div->add_input(input + "_std");
    div->add_output(scaled);
    moveLastNodeTo(graph, 1);
  }
  model.set_producer_name("cnnc train");
  std::string serialized;
  if (!model.SerializeToString(&serialized))
    return fail(path, "cannot serialize the trained model");
  return serialized;
}

} // namespace cnnc::onnx
