//===- ResultTypeInferenceTest.cpp - Builders infer cnn result types ------===//
//
// Builds each op that infers its result type without giving one, and checks
// the inferred type against a hand-computed shape. The lit tests check the
// diagnostics of the cases where inference must fail.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace cnnc::cnn;

namespace {

class ResultTypeInference : public ::testing::Test {
protected:
  ResultTypeInference()
      : loc(UnknownLoc::get(&context)), builder(&context),
        module(ModuleOp::create(loc)) {
    context.loadDialect<CNNDialect>();
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A constant tensor of `shape` (the values do not matter).
  Value tensor(ArrayRef<int64_t> shape, Type element = {}) {
    if (!element)
      element = builder.getF32Type();
    auto type = RankedTensorType::get(shape, element);
    Attribute zero = isa<FloatType>(element)
                         ? Attribute(builder.getFloatAttr(element, 0.0))
                         : Attribute(builder.getIntegerAttr(element, 0));
    return ConstantOp::create(builder, loc, DenseElementsAttr::get(type, zero));
  }

  static std::string str(Type type) {
    std::string text;
    llvm::raw_string_ostream os(text);
    type.print(os);
    return text;
  }

  /// The printed type of `op`'s result `index`, after checking that the
  /// module verifies with it.
  std::string typeOf(Operation *op, unsigned index = 0) {
    EXPECT_TRUE(succeeded(verify(*module)));
    return str(op->getResult(index).getType());
  }

  MLIRContext context;
  Location loc;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(ResultTypeInference, ConvResNetStem) {
  auto op = ConvOp::create(builder, loc, tensor({1, 3, 224, 224}),
                           tensor({64, 3, 7, 7}), tensor({64}), Value(), {2, 2},
                           {3, 3, 3, 3}, {1, 1}, 1, nullptr, nullptr, nullptr);
  EXPECT_EQ(typeOf(op), "tensor<1x64x112x112xf32>");
}

TEST_F(ResultTypeInference, ConvDepthwiseWithoutBias) {
  auto op = ConvOp::create(builder, loc, tensor({1, 32, 112, 112}),
                           tensor({32, 1, 3, 3}), Value(), Value(), {1, 1}, {1, 1, 1, 1},
                           {1, 1}, 32, nullptr, nullptr, nullptr);
  EXPECT_EQ(typeOf(op), "tensor<1x32x112x112xf32>");
}

TEST_F(ResultTypeInference, ConvOneAndThreeDimensional) {
  auto conv1d = ConvOp::create(builder, loc, tensor({2, 4, 10}),
                               tensor({8, 4, 3}), Value(), Value(), {1}, {0, 0}, {1}, 1,
                               nullptr, nullptr, nullptr);
  EXPECT_EQ(typeOf(conv1d), "tensor<2x8x8xf32>");
  auto conv3d = ConvOp::create(builder, loc, tensor({1, 2, 8, 8, 8}),
                               tensor({4, 1, 3, 3, 3}), Value(), Value(), {2, 2, 2},
                               {1, 1, 1, 1, 1, 1}, {1, 1, 1}, 2, nullptr,
                               nullptr, nullptr);
  EXPECT_EQ(typeOf(conv3d), "tensor<1x4x4x4x4xf32>");
}

TEST_F(ResultTypeInference, ConvDilatedAsymmetric) {
  // (10 + 1 + 0 - 5) / 2 + 1 = 4 and (9 + 0 + 2 - 5) / 1 + 1 = 7.
  auto op =
      ConvOp::create(builder, loc, tensor({1, 1, 10, 9}), tensor({1, 1, 3, 3}),
                     Value(), Value(), {2, 1}, {1, 0, 0, 2}, {2, 2}, 1,
                     nullptr, nullptr, nullptr);
  EXPECT_EQ(typeOf(op), "tensor<1x1x4x7xf32>");
}

TEST_F(ResultTypeInference, ConvTranspose) {
  auto op = ConvTransposeOp::create(builder, loc, tensor({1, 1, 3, 3}),
                                    tensor({1, 2, 3, 3}), Value(), {2, 2},
                                    {0, 0, 0, 0}, {1, 1}, {1, 1}, 1);
  EXPECT_EQ(typeOf(op), "tensor<1x2x8x8xf32>");
  // Grouped: 4 input channels in 2 groups, 3 outputs per group.
  auto grouped = ConvTransposeOp::create(
      builder, loc, tensor({1, 4, 5, 5}), tensor({4, 3, 3, 3}), tensor({6}),
      {1, 1}, {0, 0, 0, 0}, {1, 1}, {0, 0}, 2);
  EXPECT_EQ(typeOf(grouped), "tensor<1x6x7x7xf32>");
}

TEST_F(ResultTypeInference, MaxPoolAndCeilMode) {
  auto op =
      PoolOp::create(builder, loc, PoolKind::Max, tensor({1, 64, 112, 112}),
                     {3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 1}, false, false);
  EXPECT_EQ(typeOf(op), "tensor<1x64x56x56xf32>");
  auto ceil = PoolOp::create(builder, loc, PoolKind::Avg, tensor({1, 1, 6, 6}),
                             {3, 3}, {2, 2}, {0, 0, 0, 0}, {1, 1}, true, true);
  EXPECT_EQ(typeOf(ceil), "tensor<1x1x3x3xf32>");
  auto pool1d = PoolOp::create(builder, loc, PoolKind::Avg, tensor({1, 3, 32}),
                               {2}, {1}, {0, 0}, {1}, false, false);
  EXPECT_EQ(typeOf(pool1d), "tensor<1x3x31xf32>");
}

TEST_F(ResultTypeInference, GlobalPool) {
  auto op =
      GlobalPoolOp::create(builder, loc, PoolKind::Avg, tensor({2, 512, 7, 7}));
  EXPECT_EQ(typeOf(op), "tensor<2x512x1x1xf32>");
}

TEST_F(ResultTypeInference, BinaryBroadcasts) {
  auto bias = BinaryOp::create(builder, loc, BinaryKind::Add,
                               tensor({1, 64, 56, 56}), tensor({64, 1, 1}));
  EXPECT_EQ(typeOf(bias), "tensor<1x64x56x56xf32>");
  auto outer = BinaryOp::create(builder, loc, BinaryKind::Mul, tensor({3, 1}),
                                tensor({1, 4}));
  EXPECT_EQ(typeOf(outer), "tensor<3x4xf32>");
  auto scalar = BinaryOp::create(builder, loc, BinaryKind::Pow, tensor({}),
                                 tensor({2, 2}));
  EXPECT_EQ(typeOf(scalar), "tensor<2x2xf32>");
}

TEST_F(ResultTypeInference, Matmul) {
  auto fc = MatmulOp::create(builder, loc, tensor({1, 512}),
                             tensor({1000, 512}), tensor({1000}), false, true,
                             APFloat(1.0f), APFloat(1.0f), nullptr, nullptr,
                             nullptr);
  EXPECT_EQ(typeOf(fc), "tensor<1x1000xf32>");
  auto batched =
      MatmulOp::create(builder, loc, tensor({2, 1, 3, 4}), tensor({5, 4, 6}),
                       Value(), false, false, APFloat(1.0f), APFloat(1.0f),
                       nullptr, nullptr, nullptr);
  EXPECT_EQ(typeOf(batched), "tensor<2x5x3x6xf32>");
  auto transposedLhs =
      MatmulOp::create(builder, loc, tensor({4, 3}), tensor({4, 5}), Value(),
                       true, false, APFloat(1.0f), APFloat(1.0f), nullptr,
                       nullptr, nullptr);
  EXPECT_EQ(typeOf(transposedLhs), "tensor<3x5xf32>");
}

TEST_F(ResultTypeInference, ConcatTransposeSlicePad) {
  auto concat = ConcatOp::create(
      builder, loc,
      ValueRange{tensor({1, 64, 28, 28}), tensor({1, 32, 28, 28})}, 1);
  EXPECT_EQ(typeOf(concat), "tensor<1x96x28x28xf32>");
  auto transpose =
      TransposeOp::create(builder, loc, tensor({1, 3, 224, 220}), {0, 2, 3, 1});
  EXPECT_EQ(typeOf(transpose), "tensor<1x224x220x3xf32>");
  auto slice =
      SliceOp::create(builder, loc, tensor({4, 8}), {0, 1}, {2, 3}, {1, 2});
  EXPECT_EQ(typeOf(slice), "tensor<2x3xf32>");
  auto reversed = SliceOp::create(builder, loc, tensor({5}), {4}, {5}, {-1});
  EXPECT_EQ(typeOf(reversed), "tensor<5xf32>");
  auto pad = PadOp::create(builder, loc, PadMode::Reflect, tensor({1, 3, 8, 8}),
                           {0, 0, 1, 2, 0, 0, 1, 2}, APFloat(0.0f));
  EXPECT_EQ(typeOf(pad), "tensor<1x3x10x12xf32>");
}

TEST_F(ResultTypeInference, Reduce) {
  auto kept = ReduceOp::create(builder, loc, ReduceKind::Mean,
                               tensor({1, 1280, 7, 7}), {2, 3}, true);
  EXPECT_EQ(typeOf(kept), "tensor<1x1280x1x1xf32>");
  auto dropped = ReduceOp::create(builder, loc, ReduceKind::Sum,
                                  tensor({1, 1280, 7, 7}), {2, 3}, false);
  EXPECT_EQ(typeOf(dropped), "tensor<1x1280xf32>");
}

TEST_F(ResultTypeInference, Losses) {
  Value labels = tensor({64}, builder.getI64Type());
  auto mean =
      SoftmaxCrossEntropyOp::create(builder, loc, tensor({64, 10}), labels,
                                    LossReduction::Mean, APFloat(0.1f));
  EXPECT_EQ(typeOf(mean), "tensor<f32>");
  auto none =
      SoftmaxCrossEntropyOp::create(builder, loc, tensor({64, 10}), labels,
                                    LossReduction::None, APFloat(0.0f));
  EXPECT_EQ(typeOf(none), "tensor<64xf32>");
  auto mse = MseLossOp::create(builder, loc, tensor({8, 1}), tensor({8, 1}),
                               LossReduction::None);
  EXPECT_EQ(typeOf(mse), "tensor<8x1xf32>");
}

TEST_F(ResultTypeInference, SameTypeOps) {
  Value x = tensor({2, 16, 8, 8});
  auto relu = ActivationOp::create(builder, loc, ActivationKind::Relu, x,
                                   FloatAttr(), FloatAttr());
  EXPECT_EQ(typeOf(relu), "tensor<2x16x8x8xf32>");
  auto exp = UnaryOp::create(builder, loc, UnaryKind::Exp, x);
  EXPECT_EQ(typeOf(exp), "tensor<2x16x8x8xf32>");
  auto softmax = SoftmaxOp::create(builder, loc, x, 1);
  EXPECT_EQ(typeOf(softmax), "tensor<2x16x8x8xf32>");
  Value c = tensor({16});
  auto bn = BatchNormTrainOp::create(builder, loc, x, c, c, c, c,
                                     APFloat(1e-5f), APFloat(0.9f));
  EXPECT_EQ(typeOf(bn, 0), "tensor<2x16x8x8xf32>");
  for (unsigned i = 1; i < 5; ++i)
    EXPECT_EQ(typeOf(bn, i), "tensor<16xf32>");
}

} // namespace
