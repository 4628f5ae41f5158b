//===- Resize.cpp - nearest and bilinear resize ---------------------------===//

#include "StructuredBuilders.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cnnc;
using namespace cnnc::lowering;

namespace {

/// Resize of the last two dimensions (the others keep their size): each
/// output element maps its coordinates to the input by the coordinate mode,
/// then reads the nearest element or interpolates the four neighbours.
struct ResizeLowering : OpConversionPattern<cnn::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(cnn::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (inputType.getDimSize(d) != type.getDimSize(d))
        return rewriter.notifyMatchFailure(
            op, "only the last two dimensions are resized yet");
    Type element = type.getElementType();
    ArrayRef<float> scales = op.getScales();
    cnn::CoordinateMode coordinates = op.getCoordinateMode();
    cnn::NearestMode nearest = op.getNearestMode();
    bool linear = op.getMode() == cnn::ResizeMode::Linear;
    Value input = adaptor.getInput();
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), element);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          auto f64 = [&](double v) {
            return floatConstant(b, l, b.getF64Type(), v);
          };
          auto toIndex = [&](Value v) -> Value {
            return arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                arith::FPToSIOp::create(b, l, b.getI64Type(), v));
          };
          // The input coordinate (f64) of output index `d`.
          auto source = [&](int64_t d) -> Value {
            Value index = linalg::IndexOp::create(b, l, d);
            Value out = arith::SIToFPOp::create(
                b, l, b.getF64Type(),
                arith::IndexCastOp::create(b, l, b.getI64Type(), index));
            double scale = scales[d];
            double inSize = inputType.getDimSize(d);
            double outSize = type.getDimSize(d);
            switch (coordinates) {
            case cnn::CoordinateMode::Asymmetric:
              return arith::DivFOp::create(b, l, out, f64(scale));
            case cnn::CoordinateMode::AlignCorners:
              return arith::MulFOp::create(
                  b, l, out,
                  f64(outSize > 1 ? (inSize - 1) / (outSize - 1) : 0.0));
            case cnn::CoordinateMode::PytorchHalfPixel:
              if (outSize <= 1)
                return f64(0.0);
              [[fallthrough]];
            case cnn::CoordinateMode::HalfPixel:
              return arith::SubFOp::create(
                  b, l,
                  arith::DivFOp::create(
                      b, l, arith::AddFOp::create(b, l, out, f64(0.5)),
                      f64(scale)),
                  f64(0.5));
            }
            llvm_unreachable("every coordinate mode is lowered");
          };
          auto clamp = [&](Value v, double high) -> Value {
            return arith::MinimumFOp::create(
                b, l, arith::MaximumFOp::create(b, l, v, f64(0.0)), f64(high));
          };
          SmallVector<Value> leading;
          for (int64_t d = 0; d + 2 < rank; ++d)
            leading.push_back(linalg::IndexOp::create(b, l, d));
          auto read = [&](Value y, Value x) -> Value {
            SmallVector<Value> indices(leading);
            indices.push_back(y);
            indices.push_back(x);
            return tensor::ExtractOp::create(b, l, input, indices);
          };
          SmallVector<Value, 2> coords;
          for (int64_t d = rank - 2; d < rank; ++d)
            coords.push_back(source(d));
          Value result;
          if (!linear) {
            SmallVector<Value, 2> picked;
            for (int64_t i = 0; i < 2; ++i) {
              Value c = coords[i];
              Value rounded;
              switch (nearest) {
              case cnn::NearestMode::Floor:
                rounded = math::FloorOp::create(b, l, c);
                break;
              case cnn::NearestMode::Ceil:
                rounded = math::CeilOp::create(b, l, c);
                break;
              case cnn::NearestMode::RoundPreferFloor:
                rounded = math::CeilOp::create(
                    b, l, arith::SubFOp::create(b, l, c, f64(0.5)));
                break;
              case cnn::NearestMode::RoundPreferCeil:
                rounded = math::FloorOp::create(
                    b, l, arith::AddFOp::create(b, l, c, f64(0.5)));
                break;
              }
              double high = inputType.getDimSize(rank - 2 + i) - 1;
              picked.push_back(toIndex(clamp(rounded, high)));
            }
            result = read(picked[0], picked[1]);
          } else {
            SmallVector<Value, 2> low, highIdx, weight;
            for (int64_t i = 0; i < 2; ++i) {
              double high = inputType.getDimSize(rank - 2 + i) - 1;
              Value c = clamp(coords[i], high);
              Value floor = math::FloorOp::create(b, l, c);
              weight.push_back(arith::TruncFOp::create(
                  b, l, element, arith::SubFOp::create(b, l, c, floor)));
              low.push_back(toIndex(floor));
              highIdx.push_back(toIndex(arith::MinimumFOp::create(
                  b, l, arith::AddFOp::create(b, l, floor, f64(1.0)),
                  f64(high))));
            }
            auto lerp = [&](Value a, Value c, Value w) -> Value {
              return arith::AddFOp::create(
                  b, l, a,
                  arith::MulFOp::create(b, l, w,
                                        arith::SubFOp::create(b, l, c, a)));
            };
            Value top =
                lerp(read(low[0], low[1]), read(low[0], highIdx[1]), weight[1]);
            Value bottom = lerp(read(highIdx[0], low[1]),
                                read(highIdx[0], highIdx[1]), weight[1]);
            result = lerp(top, bottom, weight[0]);
          }
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void cnnc::lowering::populateResizeLowerings(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(patterns.getContext());
}
