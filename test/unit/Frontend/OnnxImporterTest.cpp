//===- OnnxImporterTest.cpp - Attribute and opset handling ----------------===//
//
// Builds ONNX models as plain structs (Model.h) and checks what the importer
// makes of each op's signature across opsets, and how it reports attributes
// of the wrong kind.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"
#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Frontend/ONNX/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>

using namespace cnnc::onnx;
using namespace cnnc;

namespace {

ValueInfo tensorInfo(const std::string &name, std::vector<int64_t> shape,
                     ElementType type = ElementType::Float) {
  ValueInfo info;
  info.name = name;
  info.type = type;
  info.hasShape = true;
  for (int64_t d : shape) {
    Dim dim;
    dim.value = d;
    info.dims.push_back(dim);
  }
  return info;
}

Attribute intsAttr(const std::string &name, std::vector<int64_t> values) {
  Attribute attr;
  attr.name = name;
  attr.kind = Attribute::Kind::Ints;
  attr.ints = std::move(values);
  return attr;
}

Attribute floatAttr(const std::string &name, float value) {
  Attribute attr;
  attr.name = name;
  attr.kind = Attribute::Kind::Float;
  attr.f = value;
  return attr;
}

Attribute intAttr(const std::string &name, int64_t value) {
  Attribute attr;
  attr.name = name;
  attr.kind = Attribute::Kind::Int;
  attr.i = value;
  return attr;
}

std::shared_ptr<const Tensor> initializer(const std::string &name,
                                          ElementType type,
                                          std::vector<int64_t> shape,
                                          std::vector<double> values) {
  Tensor tensor = Tensor::fromFloats(type, shape, values);
  tensor.name = name;
  return std::make_shared<const Tensor>(std::move(tensor));
}

/// A one-node model: `op` at `opset` from graph input x to graph output y.
class OneNodeModel {
public:
  OneNodeModel(const std::string &op, int64_t opset,
               std::vector<int64_t> shape) {
    model.path = "unit.onnx";
    model.irVersion = 8;
    model.opsets.push_back({"", opset});
    model.graph.inputs.push_back(tensorInfo("x", shape));
    ValueInfo out;
    out.name = "y";
    model.graph.outputs.push_back(out);
    node.opType = op;
    node.name = "n";
    node.inputs = {"x"};
    node.outputs = {"y"};
  }

  /// Imports the model (null on failure); the diagnostics are collected in
  /// `errors`. The module lives as long as this object.
  mlir::ModuleOp import() {
    model.graph.nodes = {node};
    return importGraph();
  }

  /// Imports the model with the graph as it is.
  mlir::ModuleOp importGraph() {
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      errors += describeLocation(d.getLocation()) + ": " + d.str() + "\n";
      return mlir::success();
    });
    owned = importModel(model, ImportOptions(), &context);
    return owned ? *owned : mlir::ModuleOp();
  }

  /// The single op of type OpTy in the imported function.
  template <typename OpTy> OpTy only(mlir::ModuleOp module) {
    OpTy found;
    int count = 0;
    module.walk([&](OpTy op) {
      found = op;
      ++count;
    });
    EXPECT_EQ(count, 1) << "expected one " << OpTy::getOperationName().str();
    return found;
  }

  Model model;
  Node node;
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> owned;
  std::string errors;
};

TEST(OnnxImporter, ClipBoundsAreAttributesBeforeOpset11) {
  OneNodeModel m("Clip", 6, {2, 3});
  m.node.attributes = {floatAttr("min", -1.5f), floatAttr("max", 2.5f)};
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  auto clip = m.only<cnn::ActivationOp>(module);
  EXPECT_EQ(clip.getKind(), cnn::ActivationKind::Clip);
  EXPECT_EQ(clip.getAlphaAttr().getValueAsDouble(), -1.5);
  EXPECT_EQ(clip.getBetaAttr().getValueAsDouble(), 2.5);
}

TEST(OnnxImporter, ClipDefaultsDifferBetweenOpsets) {
  OneNodeModel old("Clip", 6, {4});
  mlir::ModuleOp module = old.import();
  ASSERT_TRUE(module) << old.errors;
  auto clip = old.only<cnn::ActivationOp>(module);
  EXPECT_EQ(clip.getAlphaAttr().getValueAsDouble(), -FLT_MAX);
  EXPECT_EQ(clip.getBetaAttr().getValueAsDouble(), FLT_MAX);

  OneNodeModel current("Clip", 13, {4});
  module = current.import();
  ASSERT_TRUE(module) << current.errors;
  clip = current.only<cnn::ActivationOp>(module);
  EXPECT_TRUE(std::isinf(clip.getAlphaAttr().getValueAsDouble()));
  EXPECT_TRUE(std::isinf(clip.getBetaAttr().getValueAsDouble()));
}

TEST(OnnxImporter, ClipBoundsAreInputsFromOpset11) {
  OneNodeModel m("Clip", 11, {4});
  m.node.inputs = {"x", "", "hi"};
  m.model.graph.initializers.push_back(
      initializer("hi", ElementType::Float, {}, {6.0}));
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  auto clip = m.only<cnn::ActivationOp>(module);
  EXPECT_TRUE(std::isinf(clip.getAlphaAttr().getValueAsDouble()));
  EXPECT_EQ(clip.getBetaAttr().getValueAsDouble(), 6.0);
}

TEST(OnnxImporter, ClipAttributesAreIgnoredFromOpset11) {
  // Opset 11 removed the attributes; a model that still carries them gets
  // the input semantics (no bounds given: no clipping).
  OneNodeModel m("Clip", 12, {4});
  m.node.attributes = {floatAttr("min", 0.0f)};
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  EXPECT_TRUE(std::isinf(
      m.only<cnn::ActivationOp>(module).getAlphaAttr().getValueAsDouble()));
}

TEST(OnnxImporter, SoftmaxFlattensBeforeOpset13) {
  OneNodeModel old("Softmax", 11, {2, 3, 4});
  mlir::ModuleOp module = old.import();
  ASSERT_TRUE(module) << old.errors;
  // axis = 1 (the default): [2, 12] rows.
  auto softmax = old.only<cnn::SoftmaxOp>(module);
  EXPECT_EQ(softmax.getAxis(), 1u);
  EXPECT_EQ(softmax.getInput().getType().getShape(),
            (llvm::ArrayRef<int64_t>{2, 12}));

  OneNodeModel current("Softmax", 13, {2, 3, 4});
  module = current.import();
  ASSERT_TRUE(module) << current.errors;
  softmax = current.only<cnn::SoftmaxOp>(module);
  EXPECT_EQ(softmax.getAxis(), 2u); // The default -1.
  EXPECT_EQ(softmax.getInput().getType().getShape(),
            (llvm::ArrayRef<int64_t>{2, 3, 4}));
}

TEST(OnnxImporter, SqueezeAxesMoveFromAttributeToInput) {
  OneNodeModel old("Squeeze", 11, {1, 3, 1});
  old.node.attributes = {intsAttr("axes", {-1})};
  mlir::ModuleOp module = old.import();
  ASSERT_TRUE(module) << old.errors;
  EXPECT_EQ(old.only<cnn::ReshapeOp>(module).getType().getShape(),
            (llvm::ArrayRef<int64_t>{1, 3}));

  OneNodeModel current("Squeeze", 13, {1, 3, 1});
  current.node.inputs = {"x", "axes"};
  current.model.graph.initializers.push_back(
      initializer("axes", ElementType::Int64, {1}, {0}));
  module = current.import();
  ASSERT_TRUE(module) << current.errors;
  EXPECT_EQ(current.only<cnn::ReshapeOp>(module).getType().getShape(),
            (llvm::ArrayRef<int64_t>{3, 1}));
}

TEST(OnnxImporter, ResizeCoordinatesFollowTheOpset) {
  OneNodeModel old("Resize", 10, {1, 1, 2, 2});
  old.node.inputs = {"x", "scales"};
  old.model.graph.initializers.push_back(
      initializer("scales", ElementType::Float, {4}, {1, 1, 2, 2}));
  mlir::ModuleOp module = old.import();
  ASSERT_TRUE(module) << old.errors;
  auto resize = old.only<cnn::ResizeOp>(module);
  EXPECT_EQ(resize.getCoordinateMode(), cnn::CoordinateMode::Asymmetric);
  EXPECT_EQ(resize.getNearestMode(), cnn::NearestMode::Floor);

  OneNodeModel current("Resize", 13, {1, 1, 2, 2});
  current.node.inputs = {"x", "", "scales"};
  current.model.graph.initializers.push_back(
      initializer("scales", ElementType::Float, {4}, {1, 1, 2, 2}));
  module = current.import();
  ASSERT_TRUE(module) << current.errors;
  resize = current.only<cnn::ResizeOp>(module);
  EXPECT_EQ(resize.getCoordinateMode(), cnn::CoordinateMode::HalfPixel);
  EXPECT_EQ(resize.getNearestMode(), cnn::NearestMode::RoundPreferFloor);
  EXPECT_EQ(resize.getType().getShape(), (llvm::ArrayRef<int64_t>{1, 1, 4, 4}));
}

TEST(OnnxImporter, DropoutRatioMovesFromAttributeToInput) {
  OneNodeModel old("Dropout", 10, {4});
  old.node.attributes = {floatAttr("ratio", 0.25f)};
  mlir::ModuleOp module = old.import();
  ASSERT_TRUE(module) << old.errors;
  EXPECT_EQ(old.only<cnn::DropoutOp>(module).getRatio().convertToFloat(),
            0.25f);

  // From opset 12 the ratio is an input, and training_mode = false removes
  // the dropout altogether.
  OneNodeModel current("Dropout", 13, {4});
  current.node.inputs = {"x", "ratio", "training"};
  current.model.graph.initializers.push_back(
      initializer("ratio", ElementType::Float, {}, {0.3}));
  current.model.graph.initializers.push_back(
      initializer("training", ElementType::Bool, {}, {0}));
  module = current.import();
  ASSERT_TRUE(module) << current.errors;
  int dropouts = 0;
  module.walk([&](cnn::DropoutOp) { ++dropouts; });
  EXPECT_EQ(dropouts, 0);
}

TEST(OnnxImporter, BatchNormTrainingModeFromOpset14) {
  OneNodeModel m("BatchNormalization", 15, {2, 3, 4, 4});
  m.node.inputs = {"x", "s", "b", "m", "v"};
  for (const char *name : {"s", "b", "m", "v"})
    m.model.graph.initializers.push_back(
        initializer(name, ElementType::Float, {3}, {1, 2, 3}));
  m.node.attributes = {intAttr("training_mode", 1),
                       floatAttr("momentum", 0.8f)};
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  auto bn = m.only<cnn::BatchNormTrainOp>(module);
  EXPECT_FLOAT_EQ(bn.getMomentum().convertToFloat(), 0.8f);
}

TEST(OnnxImporter, AttributeOfTheWrongKindNamesIt) {
  OneNodeModel m("LeakyRelu", 13, {4});
  Attribute alpha;
  alpha.name = "alpha";
  alpha.kind = Attribute::Kind::String;
  alpha.s = "0.1";
  m.node.attributes = {alpha};
  EXPECT_FALSE(m.import());
  EXPECT_EQ(m.errors, "unit.onnx: node 'n' (LeakyRelu): attribute 'alpha' "
                      "must be of kind float, got string\n");
}

TEST(OnnxImporter, IntegerAttributesAreAcceptedWhereFloatsAreExpected) {
  // Some exporters write alpha = 1 as an int.
  OneNodeModel m("Elu", 13, {4});
  m.node.attributes = {intAttr("alpha", 2)};
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  EXPECT_EQ(m.only<cnn::ActivationOp>(module).getAlphaAttr().getValueAsDouble(),
            2.0);
}

TEST(OnnxImporter, ListAttributesWithoutAKindAreRead) {
  // IR version 1 models leave the kind of an empty list unset.
  OneNodeModel m("Transpose", 13, {2, 3});
  Attribute perm = intsAttr("perm", {1, 0});
  perm.kind = Attribute::Kind::Undefined;
  m.node.attributes = {perm};
  mlir::ModuleOp module = m.import();
  ASSERT_TRUE(module) << m.errors;
  EXPECT_EQ(m.only<cnn::TransposeOp>(module).getPermutation(),
            (llvm::ArrayRef<int64_t>{1, 0}));
}

TEST(OnnxImporter, UnsupportedOpsetsAreRejected) {
  OneNodeModel m("Relu", 18, {4});
  EXPECT_FALSE(m.import());
  EXPECT_EQ(m.errors, "unit.onnx: the model uses opset 18 of the default "
                      "domain; cnnc supports opsets 1 to 17 (ONNX 1.12)\n");
}

TEST(OnnxImporter, IrVersion1ModelsAreOpset1) {
  OneNodeModel m("Relu", 1, {4});
  m.model.opsets.clear();
  m.model.irVersion = 1;
  EXPECT_TRUE(m.import()) << m.errors;
}

TEST(OnnxImporter, ShapeArithmeticFoldsToConstants) {
  // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])).
  OneNodeModel m("Shape", 13, {2, 3, 4});
  Graph &g = m.model.graph;
  g.initializers = {initializer("zero", ElementType::Int64, {}, {0}),
                    initializer("axes", ElementType::Int64, {1}, {0}),
                    initializer("rest", ElementType::Int64, {1}, {-1})};
  auto node = [](std::string op, std::vector<std::string> in, std::string out) {
    Node n;
    n.opType = std::move(op);
    n.inputs = std::move(in);
    n.outputs = {std::move(out)};
    return n;
  };
  std::vector<Node> nodes = {
      node("Shape", {"x"}, "s"), node("Gather", {"s", "zero"}, "d"),
      node("Unsqueeze", {"d", "axes"}, "u"), node("Concat", {"u", "rest"}, "c"),
      node("Reshape", {"x", "c"}, "y")};
  nodes[3].attributes = {intAttr("axis", 0)};
  for (size_t i = 0; i < nodes.size(); ++i)
    nodes[i].index = i;
  g.nodes = nodes;
  mlir::ModuleOp module = m.importGraph();
  ASSERT_TRUE(module) << m.errors;
  int ops = 0;
  module.walk([&](mlir::Operation *op) {
    if (op->getDialect()->getNamespace() == "cnn")
      ++ops;
  });
  EXPECT_EQ(ops, 1); // Only the reshape.
  EXPECT_EQ(m.only<cnn::ReshapeOp>(module).getType().getShape(),
            (llvm::ArrayRef<int64_t>{2, 12}));
}

TEST(OnnxTensor, ConvertsBetweenElementTypes) {
  Tensor half = Tensor::fromFloats(
      ElementType::Float16, {4}, {1.0, -2.5, 65504.0, 5.9604644775390625e-08});
  EXPECT_EQ(half.toFloats(),
            (std::vector<double>{1.0, -2.5, 65504.0, 5.9604644775390625e-08}));
  Tensor bf16 = Tensor::fromFloats(ElementType::BFloat16, {2}, {1.0, -3.0});
  EXPECT_EQ(bf16.toFloats(), (std::vector<double>{1.0, -3.0}));
  Tensor ints = Tensor::fromFloats(ElementType::Int8, {3}, {-1.7, 2.9, 1e30});
  EXPECT_EQ(ints.toInts(), (std::vector<int64_t>{-1, 2, -1}));
  Tensor bools = Tensor::fromInts(ElementType::Bool, {3}, {0, 5, -1});
  EXPECT_EQ(bools.toInts(), (std::vector<int64_t>{0, 1, 1}));
}

} // namespace
