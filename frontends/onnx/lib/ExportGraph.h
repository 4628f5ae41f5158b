//===- ExportGraph.h - The exporter's state and helpers ---------*- C++ -*-===//
//
// Shared by Exporter.cpp (names, the interface, constants, the walk) and
// ExportOps.cpp (each op's ONNX nodes). Private to the ONNX frontend; one
// of the few files that see protobuf.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_EXPORTGRAPH_H
#define CNNC_FRONTEND_ONNX_EXPORTGRAPH_H

#include "cnnc/Frontend/ONNX/Exporter.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Frontend/ONNX/Importer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace cnnc::onnx::exporter {

namespace proto = ::onnx;
using mlir::Location;
using mlir::Operation;
using mlir::Type;
using mlir::Value;

llvm::Error fail(const llvm::Twine &message);

std::string locationName(Location location);

std::string nameLocName(Location location);

std::string describeForError(Location location);

llvm::Error unsupported(Operation *op, const llvm::Twine &reason = "");

std::optional<int> onnxElementType(Type type);

std::string typeName(Type type);

std::optional<std::string> floatBytes(double value, Type type);

void setInts(proto::NodeProto &node, llvm::StringRef name,
             llvm::ArrayRef<int64_t> values);

void setInt(proto::NodeProto &node, llvm::StringRef name, int64_t value);

void setFloat(proto::NodeProto &node, llvm::StringRef name, double value);

void setString(proto::NodeProto &node, llvm::StringRef name,
               llvm::StringRef value);

double floatValue(std::optional<llvm::APFloat> value, double otherwise);

double floatValue(const llvm::APFloat &value);

class Exporter {
public:
  Exporter(mlir::func::FuncOp function, const ExportOptions &options,
           proto::GraphProto &graph)
      : function(function), options(options), graph(graph) {}

  llvm::Error run();

private:
  // Names.
  std::string uniqueValueName(llvm::StringRef base);
  std::string uniqueNodeName(llvm::StringRef base);
  llvm::Error declareInterface(llvm::SmallVectorImpl<std::string> &outputs);
  llvm::Error describeValue(proto::ValueInfoProto &info, llvm::StringRef name,
                            Type type, Operation *where);

  // Values.
  /// The ONNX name of an operand; a constant becomes an initializer when an
  /// op first reads it.
  llvm::Expected<std::string> use(Value value);
  llvm::Expected<llvm::SmallVector<std::string, 4>>
  use(mlir::ValueRange values);
  llvm::Error addConstant(cnn::ConstantOp constant);
  /// A scalar (rank 0) initializer of float type `type`, named after the
  /// op being exported.
  llvm::Expected<std::string> scalar(double value, Type type,
                                     llvm::StringRef suffix);
  /// A 1-D int64 initializer.
  std::string int64s(llvm::ArrayRef<int64_t> values, llvm::StringRef suffix);

  // Nodes of the op being exported.
  void begin(Operation *op, llvm::StringRef defaultName);
  proto::NodeProto &addNode(llvm::StringRef opType, llvm::StringRef suffix,
                            llvm::ArrayRef<std::string> inputs,
                            const std::string &output);
  /// A node whose output is an intermediate value of the op.
  std::string temp(llvm::StringRef opType, llvm::StringRef suffix,
                   llvm::ArrayRef<std::string> inputs,
                   proto::NodeProto **node = nullptr);
  /// The node that computes `result`.
  proto::NodeProto &define(llvm::StringRef opType,
                           llvm::ArrayRef<std::string> inputs, Value result);

  // Ops.
  llvm::Error exportOp(Operation *op);
  llvm::Error exportConv(cnn::ConvOp op);
  llvm::Error exportPool(cnn::PoolOp op);
  llvm::Error exportActivation(cnn::ActivationOp op);
  llvm::Error exportMatmul(cnn::MatmulOp op);
  llvm::Error exportReshape(cnn::ReshapeOp op);
  llvm::Error exportReduce(cnn::ReduceOp op);
  llvm::Error exportPad(cnn::PadOp op);
  llvm::Error exportSlice(cnn::SliceOp op);

  mlir::func::FuncOp function;
  const ExportOptions &options;
  proto::GraphProto &graph;

  llvm::StringSet<> valueNames, nodeNames;
  /// Name counters, so that a base used many times is uniqued in one step.
  llvm::StringMap<unsigned> valueSuffixes, nodeSuffixes;
  llvm::DenseMap<Value, std::string> names;
  /// Op results that are graph outputs: their ONNX names.
  llvm::DenseMap<Value, std::string> outputNames;
  /// The symbolic batch, when dimension 0 of the interface is one.
  std::optional<int64_t> batch;

  Operation *current = nullptr;
  std::string currentName;
};

} // namespace cnnc::onnx::exporter

#endif // CNNC_FRONTEND_ONNX_EXPORTGRAPH_H
