//===- NodeImporter.h - What an op converter sees of the import -*- C++ -*-===//
//
// The importer walks the ONNX graph in topological order and hands each node
// to the converter registered for its op type (Ops/*.cpp) through a
// NodeImporter: typed access to the node's attributes and inputs, a builder
// positioned in the function, and ways to define the node's outputs, either
// as SSA values or as tensors known at compile time.
//
// Values known at compile time (initializers, Constant nodes, everything
// computed from shapes) stay host tensors until an op needs them as SSA
// values; shape subgraphs are evaluated on them and never reach the IR.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_FRONTEND_ONNX_NODEIMPORTER_H
#define CNNC_FRONTEND_ONNX_NODEIMPORTER_H

#include "cnnc/Frontend/ONNX/Model.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <optional>

namespace cnnc::onnx {

/// What the importer knows about one ONNX value.
struct ValueState {
  ElementType type = ElementType::Undefined;
  llvm::SmallVector<int64_t, 4> shape;
  /// Set when the value is known at compile time.
  std::shared_ptr<const Tensor> constant;
  /// The SSA value, once there is one.
  mlir::Value value;
  /// A graph input that is not a function argument (integer inputs: shapes,
  /// axes, pads), which a converter may only use through a declared shape.
  bool unboundInput = false;
};

/// The state of one import, shared by the nodes.
struct ImportState {
  ImportState(const Model &model, mlir::MLIRContext *context)
      : model(model), context(context), builder(context) {}

  const Model &model;
  mlir::MLIRContext *context;
  mlir::OpBuilder builder;
  llvm::StringMap<ValueState> values;
  /// Declared types of values (graph outputs and value_info).
  llvm::StringMap<const ValueInfo *> declared;
  /// The constant op of each tensor materialized so far: values that share
  /// a tensor (Identity, Dropout in inference) share the op.
  llvm::DenseMap<const Tensor *, mlir::Value> constantOps;
  /// Values some node or the graph reads.
  llvm::StringSet<> used;
  /// Graph inputs whose argument a converter wanted as a constant; they are
  /// dropped from the signature when nothing else uses them.
  llvm::StringSet<> wantedAsConstant;

  /// The SSA value of `state`, creating a constant for a known tensor.
  mlir::FailureOr<mlir::Value>
  materialize(ValueState &state, llvm::StringRef name, mlir::Location loc);
};

/// The MLIR type of an ONNX element type, or null when cnnc has none.
mlir::Type convertElementType(mlir::MLIRContext *context, ElementType type);

/// A constant op holding `tensor`: a dense resource, or a dense literal when
/// it is small or a splat.
mlir::FailureOr<mlir::Value> createConstant(mlir::OpBuilder &builder,
                                            mlir::Location loc,
                                            const Tensor &tensor);

/// "[1, 3, 224, 224]".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

class NodeImporter {
public:
  NodeImporter(ImportState &state, const Node &node, int64_t opset,
               mlir::Location loc)
      : state(state), onnxNode(node), opsetVersion(opset), location(loc) {}

  const Node &node() const { return onnxNode; }
  int64_t opset() const { return opsetVersion; }
  mlir::Location loc() const { return location; }
  mlir::OpBuilder &builder() { return state.builder; }
  mlir::MLIRContext *context() { return state.context; }

  /// An error at the node; the message is prefixed by the node's location.
  mlir::InFlightDiagnostic error() { return mlir::emitError(location); }

  //===--------------------------------------------------------------------===//
  // Inputs
  //===--------------------------------------------------------------------===//

  /// Inputs given, counting omitted optional ones in the middle.
  size_t numInputs() const;
  /// Whether input `i` is given (not omitted, not "").
  bool hasInput(size_t i) const;
  /// Fails unless between `min` and `max` inputs are given.
  mlir::LogicalResult expectInputs(size_t min, size_t max);
  /// Fails unless every given input has the element type of input 0 (the
  /// data and weights of a convolution or a matrix product).
  mlir::LogicalResult expectOneElementType();
  const ValueState &inputState(size_t i) const;
  llvm::ArrayRef<int64_t> inputShape(size_t i) const {
    return inputState(i).shape;
  }
  int64_t inputRank(size_t i) const { return inputShape(i).size(); }
  ElementType inputType(size_t i) const { return inputState(i).type; }
  /// The tensor of input `i` when it is known at compile time, else null.
  const Tensor *constantInput(size_t i) const;
  /// The tensor of input `i`, or an error saying that `role` must be known
  /// at compile time and how to bind it.
  mlir::FailureOr<const Tensor *> requireConstant(size_t i,
                                                  llvm::StringRef role);
  /// Input `i` as int64 values (shapes, axes, pads), which must be known.
  mlir::FailureOr<std::vector<int64_t>> requireInts(size_t i,
                                                    llvm::StringRef role);
  /// The SSA value of input `i` (a floating-point tensor).
  mlir::FailureOr<mlir::Value> input(size_t i);
  /// Input `i` (floating point) when given, a null value when omitted.
  mlir::FailureOr<mlir::Value> optionalInput(size_t i) {
    return hasInput(i) ? input(i) : mlir::FailureOr<mlir::Value>(mlir::Value());
  }
  /// The SSA value of input `i` of any element type.
  mlir::FailureOr<mlir::Value> anyInput(size_t i);

  //===--------------------------------------------------------------------===//
  // Attributes: each getter fails with a message when the attribute has the
  // wrong kind.
  //===--------------------------------------------------------------------===//

  bool hasAttr(llvm::StringRef name) const {
    return onnxNode.attribute(name) != nullptr;
  }
  mlir::FailureOr<int64_t> getInt(llvm::StringRef name, int64_t otherwise);
  mlir::FailureOr<float> getFloat(llvm::StringRef name, float otherwise);
  mlir::FailureOr<std::string> getString(llvm::StringRef name,
                                         llvm::StringRef otherwise);
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  getInts(llvm::StringRef name, llvm::ArrayRef<int64_t> otherwise = {});
  mlir::FailureOr<llvm::SmallVector<float>>
  getFloats(llvm::StringRef name, llvm::ArrayRef<float> otherwise = {});
  mlir::FailureOr<const Tensor *> getTensor(llvm::StringRef name);
  /// Fails when the node carries an attribute the converter does not
  /// handle in a way that matters (e.g. a training-only flag).
  mlir::LogicalResult rejectAttr(llvm::StringRef name, llvm::StringRef why);

  //===--------------------------------------------------------------------===//
  // Outputs
  //===--------------------------------------------------------------------===//

  size_t numOutputs() const { return onnxNode.outputs.size(); }
  /// Whether output `i` exists and something reads it.
  bool outputUsed(size_t i) const;
  /// The static shape the model declares for output `i`, if it does.
  std::optional<llvm::SmallVector<int64_t, 4>> declaredOutputShape(size_t i);
  void setOutput(size_t i, mlir::Value value);
  /// Defines output 0 as `result` when there is one; the usual last line of
  /// a converter: `return node.setResult(node.createInferred<...>(...));`.
  mlir::LogicalResult setResult(mlir::FailureOr<mlir::Value> result) {
    if (mlir::failed(result))
      return mlir::failure();
    setOutput(0, *result);
    return mlir::success();
  }
  void setConstantOutput(size_t i, Tensor tensor);
  void setConstantOutput(size_t i, std::shared_ptr<const Tensor> tensor);
  /// The first output that something reads but the converter did not
  /// define, if any.
  std::optional<size_t> undefinedOutput() const;

  //===--------------------------------------------------------------------===//
  // Building ops
  //===--------------------------------------------------------------------===//

  /// Creates an op whose result type the op infers. The op is built with a
  /// placeholder result type, its invariants and inferred type are checked,
  /// and it is verified; any failure is reported at the node and the op is
  /// erased.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createInferred(Args &&...args) {
    return createInferredFrom<OpTy>(builder().getF32Type(),
                                    std::forward<Args>(args)...);
  }
  /// createInferred for an op whose result has elements of `element` (the
  /// placeholder must satisfy the op's result constraint: the int32 results
  /// of the integer kernels).
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createInferredFrom(mlir::Type element,
                                                  Args &&...args) {
    auto op = OpTy::create(builder(), location,
                           mlir::RankedTensorType::get({}, element),
                           std::forward<Args>(args)...);
    if (mlir::failed(op.verifyInvariantsImpl()))
      return eraseAndFail(op);
    llvm::SmallVector<mlir::Type, 1> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            context(), location, op->getOperands(), op->getRawDictionaryAttrs(),
            op->getPropertiesStorage(), op->getRegions(), types)))
      return eraseAndFail(op);
    op->getResult(0).setType(types.front());
    return verified(op);
  }

  /// Creates an op with the given result type and verifies it.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(mlir::Type resultType, Args &&...args) {
    auto op = OpTy::create(builder(), location, resultType,
                           std::forward<Args>(args)...);
    return verified(op);
  }

  /// `value` reshaped to `shape`.
  mlir::FailureOr<mlir::Value> reshape(mlir::Value value,
                                       llvm::ArrayRef<int64_t> shape);
  /// A constant op for `tensor`.
  mlir::FailureOr<mlir::Value> constant(const Tensor &tensor) {
    return createConstant(builder(), location, tensor);
  }

  /// The integer attribute `name` (default `otherwise`) as an axis of a
  /// tensor of rank `rank`, normalized to [0, rank).
  mlir::FailureOr<int64_t> getAxis(llvm::StringRef name, int64_t otherwise,
                                   int64_t rank);
  /// Normalizes an axis in [-rank, rank) to [0, rank), or reports that
  /// `what` is out of range.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                         llvm::StringRef what);

private:
  mlir::FailureOr<mlir::Value> eraseAndFail(mlir::Operation *op);
  mlir::FailureOr<mlir::Value> verified(mlir::Operation *op);
  const Attribute *attrOfKind(llvm::StringRef name,
                              llvm::ArrayRef<Attribute::Kind> kinds,
                              bool &wrongKind);

  ImportState &state;
  const Node &onnxNode;
  int64_t opsetVersion;
  mlir::Location location;
};

/// Converts one node. The converter defines every output that is used.
using ConvertFn = mlir::LogicalResult (*)(NodeImporter &);

} // namespace cnnc::onnx

#endif // CNNC_FRONTEND_ONNX_NODEIMPORTER_H
