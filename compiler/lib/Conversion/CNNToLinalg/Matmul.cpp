//===- Matmul.cpp - matmul and gemm ---------------------------------------===//

#include "StructuredBuilders.h"
#include "cnnc/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

struct MatmulLowering : OpConversionPattern<cnn::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    Type element = resultType.getElementType();
    // Leading (batch) dimensions: collapsed into one for linalg.batch_matmul.
    // Operands whose batch dimensions broadcast are not lowered yet.
    ArrayRef<int64_t> batch = resultType.getShape().drop_back(2);
    for (Value operand : {op.getLhs(), op.getRhs()})
      if (cast<RankedTensorType>(operand.getType()).getShape().drop_back(2) !=
          batch)
        return rewriter.notifyMatchFailure(
            op, "matmuls with broadcast batch dimensions are not lowered yet");
    int64_t batchSize = 1;
    for (int64_t d : batch)
      batchSize *= d;
    SmallVector<ReassociationIndices> toRank3;
    if (rank > 2) {
      ReassociationIndices leading;
      for (int64_t d = 0; d < rank - 2; ++d)
        leading.push_back(d);
      toRank3 = {leading, {rank - 2}, {rank - 1}};
    }
    auto prepare = [&](Value v, bool transpose) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      int64_t rows = type.getDimSize(rank - 2),
              columns = type.getDimSize(rank - 1);
      if (rank > 2)
        v = tensor::CollapseShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({batchSize, rows, columns}, element), v,
            toRank3);
      if (!transpose)
        return v;
      SmallVector<int64_t> shape{columns, rows};
      SmallVector<int64_t> permutation{1, 0};
      if (rank > 2) {
        shape.insert(shape.begin(), batchSize);
        permutation = {0, 2, 1};
      }
      Value empty = tensor::EmptyOp::create(rewriter, loc, shape, element);
      return linalg::TransposeOp::create(rewriter, loc, v, empty, permutation)
          .getResult()[0];
    };
    Value lhs = prepare(adaptor.getLhs(), op.getTransposeLhs());
    Value rhs = prepare(adaptor.getRhs(), op.getTransposeRhs());
    SmallVector<int64_t> productShape(resultType.getShape().take_back(2));
    if (rank > 2)
      productShape.insert(productShape.begin(), batchSize);
    auto productType = RankedTensorType::get(productShape, element);
    Value empty = tensor::EmptyOp::create(rewriter, loc, productShape, element);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value bias = adaptor.getBias();
    // A bias of one value per column, or of the product's shape, is the
    // kernel op's bias or residual; anything else scaled or broadcast is
    // added after it.
    Value kernelBias, kernelResidual;
    bool fused = element.isF32() && alpha == 1.0 && (!bias || beta == 1.0);
    if (fused && bias) {
      ArrayRef<int64_t> shape = cast<RankedTensorType>(bias.getType()).getShape();
      if (shape == ArrayRef<int64_t>{productShape.back()})
        kernelBias = bias;
      else if (rank == 2 && shape == ArrayRef<int64_t>(productShape))
        kernelResidual = bias;
      else
        fused = false;
    }
    if (fused) {
      Value product =
          cnnk::MatmulOp::create(rewriter, loc, productType, lhs, rhs,
                                 kernelBias, kernelResidual, empty,
                                 op.getActivationAttr(),
                                 op.getActivationAlphaAttr(),
                                 op.getActivationBetaAttr(), /*tile=*/nullptr)
              .getResult();
      if (rank > 2)
        product = tensor::ExpandShapeOp::create(rewriter, loc, resultType,
                                                product, toRank3);
      rewriter.replaceOp(op, product);
      return success();
    }
    // Else the product alone (a kernel op still, in f32), then the scales,
    // the bias and the activation.
    Value product;
    if (element.isF32()) {
      product = cnnk::MatmulOp::create(rewriter, loc, productType, lhs, rhs,
                                       /*bias=*/Value(), /*residual=*/Value(),
                                       empty, /*activation=*/nullptr,
                                       /*activation_alpha=*/nullptr,
                                       /*activation_beta=*/nullptr,
                                       /*tile=*/nullptr)
                    .getResult();
    } else {
      Value zero = floatConstant(rewriter, loc, element, 0.0);
      Value init =
          linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
      product = rank > 2 ? linalg::BatchMatmulOp::create(
                               rewriter, loc, productType,
                               ValueRange{lhs, rhs}, init)
                               .getResult(0)
                         : linalg::MatmulOp::create(rewriter, loc, productType,
                                                    ValueRange{lhs, rhs}, init)
                               .getResult(0);
    }
    if (rank > 2)
      product = tensor::ExpandShapeOp::create(rewriter, loc, resultType,
                                              product, toRank3);
    if (alpha != 1.0 || bias) {
      SmallVector<Value> inputs{product};
      if (bias)
        inputs.push_back(bias);
      product =
          elementwise(rewriter, loc, resultType, inputs,
                      [&](OpBuilder &b, Location l, ValueRange args) {
                        Value v = args[0];
                        if (alpha != 1.0)
                          v = arith::MulFOp::create(
                              b, l, v, floatConstant(b, l, element, alpha));
                        if (args.size() > 1) {
                          Value c = args[1];
                          if (beta != 1.0)
                            c = arith::MulFOp::create(
                                b, l, c, floatConstant(b, l, element, beta));
                          v = arith::AddFOp::create(b, l, v, c);
                        }
                        return v;
                      });
    }
    rewriter.replaceOp(op, epilogue(rewriter, loc, product, Value(),
                                    op.getActivation(),
                                    op.getActivationAlphaAttr(),
                                    op.getActivationBetaAttr()));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateMatmulLowerings(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}
