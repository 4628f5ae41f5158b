//===- Report.cpp - cnnc compile --report ---------------------------------===//

#include "Report.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "cnnc/Dialect/CNN/IR/CNNOps.h"
#include "cnnc/Dialect/Kernel/IR/KernelOps.h"
#include "cnnc/Kernels/ConvolutionAlgorithm.h"
#include "cnnc/Kernels/ConvolutionTiles.h"
#include "cnnc/Kernels/RecordedTile.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;

namespace cnnc {

namespace {

bool isGraphOp(Operation *op) {
  return isa<cnn::CNNDialect>(op->getDialect()) && !isa<cnn::ConstantOp>(op);
}

int64_t elements(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  return shaped && shaped.hasStaticShape() ? shaped.getNumElements() : 0;
}


/// The layout of an activation of `rank` with its channels first.
std::string channelsFirstLayout(int64_t rank) {
  switch (rank) {
  case 3:
    return "NCW";
  case 4:
    return "NCHW";
  case 5:
    return "NCDHW";
  default:
    return "row-major";
  }
}

/// Where the result of each op keeps its channels: as its `layout`
/// attribute says, as a transpose between the layouts makes it ("NCHW>NHWC"
/// for the reorder itself), and for the ops in between, which do not care,
/// as their operands have it.
class Layouts {
public:
  std::string describe(Operation *op) {
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type)
      return "-";
    if (auto transpose = dyn_cast<cnn::TransposeOp>(op)) {
      if (transpose.getPermutation() == ArrayRef(cnn::kToChannelsLast)) {
        channelsLast.insert(transpose.getResult());
        return "NCHW>NHWC";
      }
      if (transpose.getPermutation() == ArrayRef(cnn::kToChannelsFirst))
        return "NHWC>NCHW";
    }
    std::optional<cnn::Layout> layout =
        TypeSwitch<Operation *, std::optional<cnn::Layout>>(op)
            .Case<cnn::ConvOp, cnn::ConvIntegerOp, cnn::PoolOp,
                  cnn::GlobalPoolOp>(
                [](auto typed) { return typed.getLayout(); })
            .Default(std::nullopt);
    bool last = layout ? *layout == cnn::Layout::NHWC
                       : llvm::any_of(op->getOperands(), [&](Value operand) {
                           return channelsLast.contains(operand) &&
                                  cast<RankedTensorType>(operand.getType())
                                          .getRank() == type.getRank();
                         });
    if (!last)
      return channelsFirstLayout(type.getRank());
    channelsLast.insert(op->getResult(0));
    return "NHWC";
  }

private:
  llvm::DenseSet<Value> channelsLast;
};

std::string shapeOf(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped)
    return "?";
  if (shaped.getRank() == 0)
    return "scalar";
  return llvm::join(llvm::map_range(shaped.getShape(),
                                    [](int64_t d) { return std::to_string(d); }),
                    "x");
}

int64_t product(ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

/// Multiply-adds count 2; epilogues and elementwise ops 1 per element.
int64_t flopsOf(Operation *op) {
  int64_t out = op->getNumResults() ? elements(op->getResult(0).getType()) : 0;
  if (auto conv = dyn_cast<cnn::ConvOp>(op)) {
    auto weight = cast<RankedTensorType>(conv.getWeight().getType());
    // Every weight of one output channel, once per output element.
    int64_t outputChannels = weight.getDimSize(
        conv.getLayout() == cnn::Layout::NHWC ? weight.getRank() - 1 : 0);
    int64_t perOutput = weight.getNumElements() / outputChannels;
    int64_t epilogue = (conv.getBias() ? 1 : 0) + (conv.getResidual() ? 1 : 0) +
                       (conv.getActivation() ? 1 : 0);
    return out * (2 * perOutput + epilogue);
  }
  if (auto matmul = dyn_cast<cnn::MatmulOp>(op)) {
    auto lhs = cast<RankedTensorType>(matmul.getLhs().getType());
    int64_t k = lhs.getDimSize(lhs.getRank() - (matmul.getTransposeLhs() ? 2 : 1));
    return out * (2 * k + (matmul.getBias() ? 1 : 0) +
                  (matmul.getActivation() ? 1 : 0));
  }
  // The integer kernels: int8 multiply-adds (counted as operations, as
  // GOP/s of int8 are), plus the bias.
  if (auto conv = dyn_cast<cnn::ConvIntegerOp>(op)) {
    auto weight = conv.getWeight().getType();
    int64_t perOutput = weight.getNumElements() / weight.getDimSize(0);
    return out * (2 * perOutput + (conv.getBias() ? 1 : 0));
  }
  if (auto matmul = dyn_cast<cnn::MatmulIntegerOp>(op)) {
    auto lhs = matmul.getLhs().getType();
    return out * (2 * lhs.getDimSize(lhs.getRank() - 1) +
                  (matmul.getBias() ? 1 : 0));
  }
  if (auto pool = dyn_cast<cnn::PoolOp>(op))
    return out * product(pool.getKernel());
  if (auto global = dyn_cast<cnn::GlobalPoolOp>(op))
    return elements(global.getInput().getType());
  return out;
}

std::string opName(Operation *op) {
  std::string name = op->getName().stripDialect().str();
  if (auto pool = dyn_cast<cnn::PoolOp>(op))
    name = cnn::stringifyPoolKind(pool.getKind()).str() + "_pool";
  if (auto activation = dyn_cast<cnn::ActivationOp>(op))
    name = cnn::stringifyActivationKind(activation.getKind()).str();
  if (auto binary = dyn_cast<cnn::BinaryOp>(op))
    name = cnn::stringifyBinaryKind(binary.getKind()).str();
  if (auto conv = dyn_cast<cnn::ConvOp>(op)) {
    if (conv.getBias())
      name += "+bias";
    if (conv.getResidual())
      name += "+residual";
    if (std::optional<cnn::ActivationKind> kind = conv.getActivation())
      name += "+" + cnn::stringifyActivationKind(*kind).str();
  }
  if (auto matmul = dyn_cast<cnn::MatmulOp>(op)) {
    if (matmul.getBias())
      name += "+bias";
    if (std::optional<cnn::ActivationKind> kind = matmul.getActivation())
      name += "+" + cnn::stringifyActivationKind(*kind).str();
  }
  if (auto conv = dyn_cast<cnn::ConvIntegerOp>(op); conv && conv.getBias())
    name += "+bias";
  if (auto matmul = dyn_cast<cnn::MatmulIntegerOp>(op);
      matmul && matmul.getBias())
    name += "+bias";
  return name;
}

std::string megabytes(uint64_t bytes) {
  return llvm::formatv("{0:F2} MB", bytes / 1e6).str();
}

/// A register tile as "pixels x channels / lanes" (a masked tile shows
/// its channels: "12x6/8", 6 channels in 8 lanes), or the generic loops.
std::string describeTile(StringRef algorithm,
                         std::optional<ConvolutionTile> tile,
                         int64_t channels) {
  if (!tile)
    return "loops";
  return llvm::formatv("{0} {1}x{2}/{3}", algorithm, tile->rows,
                       std::min(tile->vectors * tile->lanes, channels),
                       tile->lanes)
      .str();
}

} // namespace

void collectNodes(Location loc, std::vector<std::string> &nodes) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations())
      collectNodes(part, nodes);
    return;
  }
  auto name = dyn_cast<NameLoc>(loc);
  if (!name)
    return;
  if (auto opType = dyn_cast<NameLoc>(name.getChildLoc())) {
    std::string text = (name.getName().str() + " (" +
                        opType.getName().str() + ")");
    if (!llvm::is_contained(nodes, text))
      nodes.push_back(text);
    return;
  }
  collectNodes(name.getChildLoc(), nodes);
}

int64_t countGraphOps(ModuleOp module) {
  int64_t count = 0;
  module.walk([&](Operation *op) { count += isGraphOp(op); });
  return count;
}

KernelChoices describeKernels(ModuleOp kernelStage) {
  KernelChoices kernels;
  kernelStage.walk([&](Operation *op) {
    StringRef algorithm = "direct";
    if (auto conv = dyn_cast<cnnk::Conv2DOp>(op)) {
      if (std::optional<ConvolutionAlgorithm> recorded = conv.getAlgorithm())
        algorithm = stringifyConvolutionAlgorithm(*recorded);
    } else if (!isa<cnnk::MatmulOp>(op)) {
      return;
    }
    int64_t channels =
        cast<ShapedType>(cast<DestinationStyleOpInterface>(op)
                             .getDpsInits()[0]
                             .getType())
            .getShape()
            .back();
    kernels.try_emplace(op->getLoc(),
                        describeTile(algorithm, recordedTile(op), channels));
  });
  return kernels;
}

void describeGraph(ModuleOp module, Report &report,
                   const KernelChoices &kernels) {
  Layouts layouts;
  module.walk([&](Operation *op) {
    if (auto split = op->getAttrOfType<IntegerAttr>(cnnc::attrs::kBatchSplit))
      report.batchSplit = split.getInt();
    if (auto constant = dyn_cast<cnn::ConstantOp>(op)) {
      auto type = cast<RankedTensorType>(constant.getType());
      report.weightBytes +=
          type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
      return;
    }
    if (!isGraphOp(op))
      return;
    ReportRow row;
    row.op = opName(op);
    collectNodes(op->getLoc(), row.nodes);
    Type type = op->getResult(0).getType();
    row.layout = layouts.describe(op);
    row.kernel = "-";
    if (isa<cnn::ConvOp, cnn::MatmulOp>(op)) {
      auto kernel = kernels.find(op->getLoc());
      row.kernel = kernel == kernels.end() ? "loops" : kernel->second;
    }
    row.shape = shapeOf(type);
    row.flops = flopsOf(op);
    report.rows.push_back(std::move(row));
  });
}

void printReport(llvm::raw_ostream &os, const Report &report) {
  os << llvm::format("%-4s %-28s %-9s %-16s %10s  %-20s %s\n", "#", "op",
                     "layout", "shape", "MFLOPs", "kernel",
                     "fused from (ONNX nodes)");
  int64_t flops = 0;
  for (auto [i, row] : llvm::enumerate(report.rows)) {
    flops += row.flops;
    os << llvm::format("%-4zu %-28s %-9s %-16s %10.2f  %-20s ", i,
                       row.op.c_str(), row.layout.c_str(), row.shape.c_str(),
                       row.flops / 1e6, row.kernel.c_str())
       << (row.nodes.empty() ? "-" : llvm::join(row.nodes, ", ")) << "\n";
  }
  os << "ops: " << report.opsBefore << " before the graph passes, "
     << report.rows.size() << " after\n";
  if (report.batchSplit > 1)
    os << "batch: " << report.batchSplit
       << " images, one at a time (the graph above is one image's; "
          "cnnc-split-batch)\n";
  os << llvm::format("compute: %.3f GFLOPs\n",
                     flops * report.batchSplit / 1e9);
  os << "weights: " << megabytes(report.weightBytes) << "\n";
  os << "arena: "
     << (report.arenaBytes ? megabytes(*report.arenaBytes)
                           : std::string("not planned (the output is not "
                                         "code: use -o FILE.o)"))
     << "\n";
  if (!report.quantization)
    return;
  const QuantizationReport &quantization = *report.quantization;
  os << "\nquantization: int8, calibrated by " << quantization.method
     << " on " << quantization.samples << " samples"
     << (quantization.weightBits == 7
             ? "; 7-bit weights (the target's vpmaddubsw sums pairs of "
               "products in int16)"
             : "")
     << "\n";
  os << llvm::format("%-4s %-9s %9s  %s\n", "#", "precision", "SQNR dB",
                     "layer (ONNX nodes)");
  for (auto [i, layer] : llvm::enumerate(quantization.layers)) {
    std::string sqnr = !layer.int8 ? "-"
                       : std::isinf(layer.sqnr)
                           ? "exact"
                           : llvm::formatv("{0:F1}", layer.sqnr).str();
    os << llvm::format("%-4zu %-9s %9s  ", i, layer.int8 ? "int8" : "float",
                       sqnr.c_str())
       << (layer.nodes.empty() ? "-" : llvm::join(layer.nodes, ", ")) << "\n";
  }
  if (quantization.top1Agreement)
    os << llvm::format("top-1 agreement with float: %.2f%% of %lld rows\n",
                       100 * *quantization.top1Agreement,
                       static_cast<long long>(quantization.rows));
  else
    os << "top-1 agreement with float: - (the output is not [N, classes])\n";
}

} // namespace cnnc
