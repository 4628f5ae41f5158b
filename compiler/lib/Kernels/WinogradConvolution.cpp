//===- WinogradConvolution.cpp - F(m x m, 3 x 3) on memrefs ---------------===//
//
// A 3x3 unit-stride convolution [N, IH, IW, C] -> [N, H, W, F] as
//
//   V[x*a+y, t, c] = (B^T d_t,c B)[x, y]        input transform, per tile t
//   M[p]           = V[p] x U[p]               a*a matrix products
//   out[n, r0+i, c0+j, f] = (A^T M_t,f A)[i, j] (+ bias, epilogue)
//
// with a = m + 2, the tiles t = (n, tile row, tile column) of m x m outputs
// read from (a x a)-input windows m apart, and U = G g G^T computed here
// from the constant weights. Each transform is a parallel loop over the
// tiles whose body takes a vector of channels at a time through the
// transform matrix's nonzero entries, unrolled (a coefficient of 1 or -1
// is an add or a subtract). Tiles that overhang the input read zeros;
// those that overhang the output store only what is inside.
//
//===----------------------------------------------------------------------===//

#include "ConvolutionRewrites.h"

#include "cnnc/Kernels/ConvolutionTiles.h"
#include "cnnc/Kernels/WinogradTransforms.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace cnnc::kernels {

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// sum_k coefficients[k] * values[k], emitted with the zeros skipped and
/// the ones as adds and subtracts.
Value combine(OpBuilder &b, Location loc, VectorType type,
              ArrayRef<double> coefficients, ArrayRef<Value> values) {
  auto splat = [&](double c) -> Value {
    return arith::ConstantOp::create(
        b, loc, type, DenseElementsAttr::get(type, static_cast<float>(c)));
  };
  Value sum;
  for (auto [c, x] : llvm::zip_equal(coefficients, values)) {
    if (c == 0)
      continue;
    if (!sum) {
      sum = c == 1    ? x
            : c == -1 ? arith::NegFOp::create(b, loc, x).getResult()
                      : arith::MulFOp::create(b, loc, splat(c), x).getResult();
      continue;
    }
    if (c == 1)
      sum = arith::AddFOp::create(b, loc, sum, x);
    else if (c == -1)
      sum = arith::SubFOp::create(b, loc, sum, x);
    else
      sum = vector::FMAOp::create(b, loc, splat(c), x, sum);
  }
  return sum ? sum : splat(0);
}

/// T M T^T for the rows x cols matrix T (row-major) and the square matrix
/// `tile` of vectors (cols x cols, row-major): rows x rows vectors.
SmallVector<Value> sandwich(OpBuilder &b, Location loc, VectorType type,
                            ArrayRef<double> t, int64_t rows, int64_t cols,
                            ArrayRef<Value> tile) {
  // First T M: rows x cols.
  SmallVector<Value> half(rows * cols);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      SmallVector<Value> column;
      for (int64_t k = 0; k < cols; ++k)
        column.push_back(tile[k * cols + j]);
      half[i * cols + j] =
          combine(b, loc, type, t.slice(i * cols, cols), column);
    }
  // Then (T M) T^T: rows x rows.
  SmallVector<Value> result(rows * rows);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < rows; ++j)
      result[i * rows + j] =
          combine(b, loc, type, t.slice(j * cols, cols),
                  ArrayRef<Value>(half).slice(i * cols, cols));
  return result;
}

/// A parallel loop over the tiles (n, tile row, tile column) and in it a
/// loop over the channels `lanes` at a time; the body takes (n, first
/// row, first column, tile index, channel).
template <typename BodyFn>
void buildTileLoops(OpBuilder &b, Location loc, int64_t batch, int64_t tilesH,
                    int64_t tilesW, int64_t m, int64_t channels, int64_t lanes,
                    BodyFn body) {
  IndexBuilder ix{b, loc};
  scf::ParallelOp::create(
      b, loc, {ix.c(0), ix.c(0), ix.c(0)},
      {ix.c(batch), ix.c(tilesH), ix.c(tilesW)}, {ix.c(1), ix.c(1), ix.c(1)},
      [&](OpBuilder &pb, Location pl, ValueRange ivs) {
        IndexBuilder px{pb, pl};
        Value tile =
            px.add(px.mul(px.add(px.mul(ivs[0], tilesH), ivs[1]), tilesW),
                   ivs[2]);
        Value row = px.mul(ivs[1], m), column = px.mul(ivs[2], m);
        scf::ForOp::create(pb, pl, px.c(0), px.c(channels), px.c(lanes),
                           ValueRange{},
                           [&](OpBuilder &fb, Location fl, Value channel,
                               ValueRange) {
                             body(fb, fl, ivs[0], row, column, tile, channel);
                             scf::YieldOp::create(fb, fl);
                           });
        scf::ReduceOp::create(pb, pl);
      });
}

} // namespace

void rewriteAsWinograd(RewriterBase &rewriter, cnnk::Conv2DOp op,
                       const Convolution &conv,
                       const std::vector<float> &filter, int64_t m,
                       unsigned vectorBits, SymbolTable &symbols) {
  const WinogradTransform &t = winogradTransform(m);
  Location loc = op.getLoc();
  int64_t a = t.alpha, positions = a * a;
  int64_t c = conv.reduced, f = conv.channels;
  int64_t tilesH = ceilDiv(conv.height, m), tilesW = ceilDiv(conv.width, m);
  int64_t tiles = conv.batch * tilesH * tilesW;
  auto f32 = rewriter.getF32Type();

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  // The weights, transformed: [a*a, C, F].
  memref::GetGlobalOp get = sourceGlobal(conv.filter);
  Value weights = createConstantWeights(
      rewriter, loc, symbols, symbols.lookup<memref::GlobalOp>(get.getName()),
      m == 2 ? "_winograd2" : "_winograd4",
      transformWinogradFilter(t, filter, c, f), {positions, c, f});
  auto alloc = [&](int64_t channels) {
    return memref::AllocOp::create(
        rewriter, loc, MemRefType::get({positions, tiles, channels}, f32),
        rewriter.getI64IntegerAttr(64));
  };
  Value transformed = alloc(c), products = alloc(f);

  // The input transform. Rows and columns past the input (the last tiles'
  // overhang, which only some of the a positions can reach) read zero.
  int64_t lanesC = cnnc::vectorLanes(c, vectorBits);
  auto typeC = VectorType::get({lanesC}, f32);
  buildTileLoops(
      rewriter, loc, conv.batch, tilesH, tilesW, m, c, lanesC,
      [&](OpBuilder &b, Location l, Value n, Value row0, Value column0,
          Value tile, Value channel) {
        IndexBuilder bx{b, l};
        Value zero = arith::ConstantOp::create(
            b, l, typeC, DenseElementsAttr::get(typeC, 0.0f));
        // An index past `extent` where position `k` of the last tile is.
        auto clamp = [&](Value base, int64_t k, int64_t tilesAlong,
                         int64_t extent) -> std::pair<Value, Value> {
          Value at = bx.add(base, k);
          if ((tilesAlong - 1) * m + k < extent)
            return {at, Value()};
          Value inside = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ult, at, bx.c(extent));
          return {arith::MinUIOp::create(b, l, at, bx.c(extent - 1)), inside};
        };
        SmallVector<Value> window;
        for (int64_t i = 0; i < a; ++i) {
          auto [row, rowInside] =
              clamp(row0, i, tilesH, conv.inputHeight);
          for (int64_t j = 0; j < a; ++j) {
            auto [column, columnInside] =
                clamp(column0, j, tilesW, conv.inputWidth);
            Value x = vector::LoadOp::create(b, l, typeC, conv.input,
                                             ValueRange{n, row, column,
                                                        channel});
            Value inside = rowInside && columnInside
                               ? arith::AndIOp::create(b, l, rowInside,
                                                       columnInside)
                                     .getResult()
                               : (rowInside ? rowInside : columnInside);
            if (inside)
              x = arith::SelectOp::create(b, l, inside, x, zero);
            window.push_back(x);
          }
        }
        SmallVector<Value> v =
            sandwich(b, l, typeC, t.inputTransform, a, a, window);
        for (int64_t p = 0; p < positions; ++p)
          vector::StoreOp::create(b, l, v[p], transformed,
                                  ValueRange{bx.c(p), tile, channel});
      });

  // The products, from zero: the register tile's batch of 1x1
  // convolutions.
  // (The tile recorded on the convolution is the products'.)
  cnnk::MatmulOp::create(rewriter, loc, /*result=*/Type(), transformed,
                         weights, /*bias=*/Value(), /*residual=*/Value(),
                         products, /*activation=*/nullptr,
                         /*activation_alpha=*/nullptr,
                         /*activation_beta=*/nullptr,
                         /*tile=*/op.getTileAttr());

  // The output transform, then the bias and the epilogue, stored where
  // the tile is inside the output.
  int64_t lanesF = cnnc::vectorLanes(f, vectorBits);
  auto typeF = VectorType::get({lanesF}, f32);
  buildTileLoops(
      rewriter, loc, conv.batch, tilesH, tilesW, m, f, lanesF,
      [&](OpBuilder &b, Location l, Value n, Value row0, Value column0,
          Value tile, Value channel) {
        IndexBuilder bx{b, l};
        SmallVector<Value> sums;
        for (int64_t p = 0; p < positions; ++p)
          sums.push_back(vector::LoadOp::create(
              b, l, typeF, products, ValueRange{bx.c(p), tile, channel}));
        SmallVector<Value> y =
            sandwich(b, l, typeF, t.outputTransform, m, a, sums);
        Value start = conv.initialValue(b, l, typeF, channel);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < m; ++j) {
            Value row = bx.add(row0, i), column = bx.add(column0, j);
            SmallVector<Value> conditions;
            if ((tilesH - 1) * m + i >= conv.height)
              conditions.push_back(arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::ult, row, bx.c(conv.height)));
            if ((tilesW - 1) * m + j >= conv.width)
              conditions.push_back(arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::ult, column, bx.c(conv.width)));
            auto emit = [&](OpBuilder &sb, Location sl) {
              SmallVector<Value> at = conv.index(n, row, column, channel);
              Value value = arith::AddFOp::create(sb, sl, y[i * m + j], start);
              conv.store(sb, sl, value, at);
            };
            if (conditions.empty()) {
              emit(b, l);
              continue;
            }
            Value inside = conditions[0];
            if (conditions.size() == 2)
              inside = arith::AndIOp::create(b, l, inside, conditions[1]);
            scf::IfOp::create(b, l, inside, [&](OpBuilder &sb, Location sl) {
              emit(sb, sl);
              scf::YieldOp::create(sb, sl);
            });
          }
      });

  Value oldFilter = conv.filter;
  rewriter.eraseOp(op);
  eraseDeadChain(oldFilter);
}

} // namespace cnnc::kernels
