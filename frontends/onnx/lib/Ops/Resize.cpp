//===- Resize.cpp - Resize and Upsample -----------------------------------===//
//
// Opset 10's Resize and Upsample (7 to 9) scale with asymmetric coordinates
// and floor rounding; from opset 11 Resize says how in its attributes. The
// output size is `sizes` when given, else floor(input size * scale).
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"

#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;

namespace cnnc::onnx {
namespace {

FailureOr<cnn::ResizeMode> resizeMode(NodeImporter &node) {
  FailureOr<std::string> mode = node.getString("mode", "nearest");
  if (failed(mode))
    return failure();
  if (*mode == "nearest")
    return cnn::ResizeMode::Nearest;
  if (*mode == "linear" || *mode == "bilinear")
    return cnn::ResizeMode::Linear;
  return node.error() << "mode '" << *mode
                      << "' is not supported (nearest and linear are)",
         failure();
}

/// Builds the resize once scales or sizes are known.
LogicalResult createResize(NodeImporter &node, cnn::ResizeMode mode,
                           llvm::ArrayRef<double> scales,
                           std::optional<llvm::ArrayRef<int64_t>> sizes,
                           cnn::CoordinateMode coordinates,
                           cnn::NearestMode nearest) {
  llvm::ArrayRef<int64_t> input = node.inputShape(0);
  size_t rank = input.size();
  llvm::SmallVector<int64_t> output;
  llvm::SmallVector<float> factors;
  if (sizes) {
    if (sizes->size() != rank)
      return node.error() << "expected " << rank
                          << " sizes (one per dimension), got "
                          << formatShape(*sizes),
             failure();
    for (size_t d = 0; d < rank; ++d) {
      if ((*sizes)[d] <= 0 || input[d] == 0)
        return node.error() << "cannot resize shape " << formatShape(input)
                            << " to " << formatShape(*sizes),
               failure();
      output.push_back((*sizes)[d]);
      factors.push_back(static_cast<float>((*sizes)[d]) /
                        static_cast<float>(input[d]));
    }
  } else {
    if (scales.size() != rank)
      return node.error() << "expected " << rank
                          << " scales (one per dimension), got "
                          << scales.size(),
             failure();
    for (size_t d = 0; d < rank; ++d) {
      if (!(scales[d] > 0) || !std::isfinite(scales[d]))
        return node.error() << "expected positive scales, got " << scales[d]
                            << " for dimension " << d,
               failure();
      // In float, as ONNX's shape inference and ONNX Runtime compute it.
      double exact = std::floor(static_cast<double>(
          static_cast<float>(input[d]) * static_cast<float>(scales[d])));
      if (!std::isfinite(exact) ||
          exact > static_cast<double>(int64_t(1) << 31))
        return node.error() << "scale " << scales[d] << " makes dimension " << d
                            << " (" << input[d] << ") too large",
               failure();
      auto size = static_cast<int64_t>(exact);
      if (size <= 0)
        return node.error() << "scale " << scales[d] << " makes dimension " << d
                            << " (" << input[d] << ") empty",
               failure();
      output.push_back(size);
      factors.push_back(static_cast<float>(scales[d]));
    }
  }
  FailureOr<Value> x = node.input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType()).clone(output);
  return node.setResult(node.create<cnn::ResizeOp>(type, mode, *x, factors,
                                                   coordinates, nearest));
}

FailureOr<std::vector<double>> floatScales(NodeImporter &node, size_t input) {
  FailureOr<const Tensor *> scales = node.requireConstant(input, "scales");
  if (failed(scales))
    return failure();
  if (!isFloatingPoint((*scales)->type))
    return node.error() << "expected float scales, got "
                        << elementTypeName((*scales)->type),
           failure();
  return (*scales)->toFloats();
}

/// Nearest rounding before opset 11 (Resize 10, Upsample): asymmetric
/// coordinates rounded down when upsampling and up when downsampling, as
/// ONNX's test data and ONNX Runtime do.
FailureOr<cnn::NearestMode> legacyNearestMode(NodeImporter &node,
                                              cnn::ResizeMode mode,
                                              llvm::ArrayRef<double> scales) {
  if (mode != cnn::ResizeMode::Nearest)
    return cnn::NearestMode::Floor; // Unused by linear.
  bool up = llvm::any_of(scales, [](double s) { return s > 1; });
  bool down = llvm::any_of(scales, [](double s) { return s < 1; });
  if (up && down)
    return node.error() << "nearest resizing that enlarges some dimensions "
                           "and shrinks others is not supported before "
                           "opset 11",
           failure();
  return down ? cnn::NearestMode::Ceil : cnn::NearestMode::Floor;
}

LogicalResult convertUpsample(NodeImporter &node) {
  if (failed(node.expectInputs(node.opset() < 9 ? 1 : 2,
                               node.opset() < 9 ? 1 : 2)))
    return failure();
  FailureOr<cnn::ResizeMode> mode = resizeMode(node);
  if (failed(mode))
    return failure();
  std::vector<double> scales;
  if (node.opset() < 9) {
    FailureOr<llvm::SmallVector<float>> attr = node.getFloats("scales");
    if (failed(attr))
      return failure();
    scales.assign(attr->begin(), attr->end());
  } else {
    FailureOr<std::vector<double>> given = floatScales(node, 1);
    if (failed(given))
      return failure();
    scales = *given;
  }
  FailureOr<cnn::NearestMode> nearest = legacyNearestMode(node, *mode, scales);
  if (failed(nearest))
    return failure();
  return createResize(node, *mode, scales, std::nullopt,
                      cnn::CoordinateMode::Asymmetric, *nearest);
}

LogicalResult convertResize(NodeImporter &node) {
  if (failed(node.expectInputs(node.opset() < 13 ? 2 : 1,
                               node.opset() < 11 ? 2 : 4)))
    return failure();
  FailureOr<cnn::ResizeMode> mode = resizeMode(node);
  if (failed(mode))
    return failure();
  if (node.opset() < 11) {
    FailureOr<std::vector<double>> scales = floatScales(node, 1);
    if (failed(scales))
      return failure();
    FailureOr<cnn::NearestMode> nearest =
        legacyNearestMode(node, *mode, *scales);
    if (failed(nearest))
      return failure();
    return createResize(node, *mode, *scales, std::nullopt,
                        cnn::CoordinateMode::Asymmetric, *nearest);
  }

  FailureOr<std::string> coordinates =
      node.getString("coordinate_transformation_mode", "half_pixel");
  FailureOr<std::string> nearest =
      node.getString("nearest_mode", "round_prefer_floor");
  FailureOr<int64_t> excludeOutside = node.getInt("exclude_outside", 0);
  if (failed(coordinates) || failed(nearest) || failed(excludeOutside))
    return failure();
  std::optional<cnn::CoordinateMode> coordinateMode =
      llvm::StringSwitch<std::optional<cnn::CoordinateMode>>(*coordinates)
          .Case("half_pixel", cnn::CoordinateMode::HalfPixel)
          .Case("pytorch_half_pixel", cnn::CoordinateMode::PytorchHalfPixel)
          .Case("align_corners", cnn::CoordinateMode::AlignCorners)
          .Case("asymmetric", cnn::CoordinateMode::Asymmetric)
          .Default(std::nullopt);
  if (!coordinateMode)
    return node.error() << "coordinate_transformation_mode '" << *coordinates
                        << "' is not supported (half_pixel, "
                           "pytorch_half_pixel, align_corners and asymmetric "
                           "are)",
           failure();
  std::optional<cnn::NearestMode> nearestMode =
      llvm::StringSwitch<std::optional<cnn::NearestMode>>(*nearest)
          .Case("round_prefer_floor", cnn::NearestMode::RoundPreferFloor)
          .Case("round_prefer_ceil", cnn::NearestMode::RoundPreferCeil)
          .Case("floor", cnn::NearestMode::Floor)
          .Case("ceil", cnn::NearestMode::Ceil)
          .Default(std::nullopt);
  if (!nearestMode)
    return node.error() << "nearest_mode '" << *nearest << "' is not supported",
           failure();
  if (*excludeOutside != 0)
    return node.error() << "exclude_outside = 1 is not supported", failure();

  // Sizes (input 3) take precedence; scales (input 2) may be empty when
  // sizes are given.
  if (node.hasInput(3)) {
    FailureOr<std::vector<int64_t>> sizes = node.requireInts(3, "sizes");
    if (failed(sizes))
      return failure();
    return createResize(node, *mode, {}, llvm::ArrayRef<int64_t>(*sizes),
                        *coordinateMode, *nearestMode);
  }
  if (!node.hasInput(2))
    return node.error() << "neither scales nor sizes are given", failure();
  // The scales matter beyond the output size (they map coordinates), so a
  // declared output shape cannot stand in for them.
  FailureOr<std::vector<double>> scales = floatScales(node, 2);
  if (failed(scales))
    return failure();
  return createResize(node, *mode, *scales, std::nullopt, *coordinateMode,
                      *nearestMode);
}

} // namespace

void addResizeOps(ConverterTable &table) {
  table["Resize"] = convertResize;
  table["Upsample"] = convertUpsample;
}

} // namespace cnnc::onnx
