//===- WindowInference.h - Shared pieces of the ops' type inference -*- C++
//-*-===//
//
// The checks and sizes the float and the integer forms of convolution and
// matrix product infer their types with (CNNOps.cpp, CNNQuantOps.cpp).
// Private to the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef CNNC_DIALECT_CNN_IR_WINDOWINFERENCE_H
#define CNNC_DIALECT_CNN_IR_WINDOWINFERENCE_H

#include "OpDiagnostics.h"

namespace cnnc::cnn::detail {

/// The attributes of a sliding window over the spatial dimensions.
struct Window {
  ArrayRef<int64_t> kernel;
  ArrayRef<int64_t> strides;
  ArrayRef<int64_t> pads;
  ArrayRef<int64_t> dilations;
};

/// Checks that the window attributes have one entry per spatial dimension
/// (two per dimension for `pads`).
LogicalResult verifyWindowArity(const Diagnoser &fail, size_t spatial,
                                const Window &window);

/// The spatial output sizes of a convolution or pooling window over an
/// [N, C, D1..Dk] input, or an error naming the dimension the dilated
/// kernel does not fit in.
FailureOr<SmallVector<int64_t>> windowOutputSizes(const Diagnoser &fail,
                                                  RankedTensorType input,
                                                  const Window &window,
                                                  bool ceilMode);

/// Checks the ranks of a convolution's [N, C, D1..Dk] input and its weight.
LogicalResult verifyConvRanks(const Diagnoser &fail, RankedTensorType input,
                              RankedTensorType weight);

/// The shared part of convolution and transposed convolution once the ranks
/// hold: element types (but for the `integer` convolution, whose ODS types
/// constrain them), groups and bias.
LogicalResult verifyConvOperands(const Diagnoser &fail, RankedTensorType input,
                                 RankedTensorType weight, Value bias,
                                 int64_t groups, int64_t weightInputChannels,
                                 int64_t channelsOut, bool integer = false);

/// `type` with its dimensions permuted: dimension i of the result is
/// dimension `permutation[i]` of `type` (a layout's view of a shape).
RankedTensorType permuted(RankedTensorType type,
                          ArrayRef<int64_t> permutation);

/// The shape of a batched matrix product of `lhs` and `rhs` (each transposed
/// in its last two dimensions when asked), or an error.
FailureOr<SmallVector<int64_t>>
matmulShape(const Diagnoser &fail, RankedTensorType lhs, RankedTensorType rhs,
            bool transposeLhs, bool transposeRhs);

} // namespace cnnc::cnn::detail

#endif // CNNC_DIALECT_CNN_IR_WINDOWINFERENCE_H
