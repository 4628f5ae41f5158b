//===- Importer.cpp - An ONNX graph into a func.func of cnn ops -----------===//
//
// The import runs in stages, each reporting every problem it finds:
//   1. the opset and the operators (all unsupported ones in one message);
//   2. the graph inputs: initializers and --const bindings become constants,
//      the others function arguments with static shapes (--shape, --batch);
//   3. the order: nodes sorted by their dependences, undefined inputs and
//      cycles reported;
//   4. the nodes that an output depends on, converted in order;
//   5. the outputs, checked against their declared types.
//
//===----------------------------------------------------------------------===//

#include "cnnc/Frontend/ONNX/Importer.h"
#include "cnnc/Dialect/CNN/IR/CompilerAttributes.h"

#include "HostTensors.h"
#include "NodeImporter.h"
#include "Ops/Ops.h"

#include "cnnc/Dialect/CNN/IR/CNNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <queue>

using namespace mlir;

namespace cnnc::onnx {

Location nodeLocation(MLIRContext *context, llvm::StringRef path,
                      const Node &node) {
  Location file = FileLineColLoc::get(context, path, 0, 0);
  return NameLoc::get(
      StringAttr::get(context, node.displayName()),
      NameLoc::get(StringAttr::get(context, node.opType), file));
}

std::string describeLocation(Location location) {
  // An op fused from several nodes: named after the first.
  if (auto fused = dyn_cast<FusedLoc>(location)) {
    for (Location part : fused.getLocations())
      if (std::string text = describeLocation(part); !text.empty())
        return text;
    return "";
  }
  if (auto name = dyn_cast<NameLoc>(location)) {
    auto opType = dyn_cast<NameLoc>(name.getChildLoc());
    auto file = opType ? dyn_cast<FileLineColLoc>(opType.getChildLoc())
                       : dyn_cast<FileLineColLoc>(name.getChildLoc());
    if (!file)
      return "";
    std::string nodeName = name.getName().str();
    if (!opType) // A value: a graph input, an initializer, a constant.
      return file.getFilename().str() + ": value '" + nodeName + "'";
    std::string text = file.getFilename().str() + ": node ";
    text += llvm::StringRef(nodeName).starts_with("#") ? nodeName
                                                       : "'" + nodeName + "'";
    if (opType)
      text += " (" + opType.getName().str() + ")";
    return text;
  }
  if (auto file = dyn_cast<FileLineColLoc>(location))
    if (file.getLine() == 0)
      return file.getFilename().str();
  return "";
}

namespace {

/// Graph inputs and node outputs with more elements than this are refused,
/// which keeps every size computed from them far from overflowing.
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;

bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

class GraphImporter {
public:
  GraphImporter(const Model &model, const ImportOptions &options,
                MLIRContext *context)
      : model(model), graph(model.graph), options(options), context(context),
        state(model, context),
        fileLoc(FileLineColLoc::get(context, model.path, 0, 0)) {}

  OwningOpRef<ModuleOp> run();

  /// Graph inputs that a node needs as compile-time constants.
  std::vector<std::string> wantedConstants() const {
    std::vector<std::string> names;
    for (const auto &entry : state.wantedAsConstant)
      names.push_back(entry.getKey().str());
    llvm::sort(names);
    return names;
  }

private:
  LogicalResult checkOpsetAndOperators();
  LogicalResult checkOptions();
  LogicalResult bindInputs();
  FailureOr<llvm::SmallVector<int64_t, 4>> inputShape(const ValueInfo &info);
  LogicalResult sortNodes();
  void markLiveNodes();
  LogicalResult convertNodes();
  LogicalResult checkOutputs(SmallVectorImpl<Value> &results);

  InFlightDiagnostic error() { return emitError(fileLoc); }

  const Model &model;
  const Graph &graph;
  const ImportOptions &options;
  MLIRContext *context;
  ImportState state;
  Location fileLoc;
  int64_t opset = 0;
  /// Function arguments in graph order, with the ONNX names.
  llvm::SmallVector<std::pair<std::string, RankedTensorType>> arguments;
  std::vector<const Node *> order;
  std::vector<bool> live;
  func::FuncOp function;
};

LogicalResult GraphImporter::checkOpsetAndOperators() {
  bool found = false;
  for (const OpsetImport &import : model.opsets) {
    if (!isDefaultDomain(import.domain))
      continue;
    found = true;
    opset = import.version;
  }
  if (!found) {
    // IR version 1 had no opset imports; those models are opset 1.
    if (model.irVersion > 1 || !model.opsets.empty())
      return error() << "the model imports no opset of the default ONNX "
                        "domain (ai.onnx)",
             failure();
    opset = 1;
  }
  if (opset < 1 || opset > kMaxOpset)
    return error() << "the model uses opset " << opset
                   << " of the default domain; cnnc supports opsets 1 to "
                   << kMaxOpset << " (ONNX 1.12)",
           failure();

  // Every unsupported operator, with the nodes that use it.
  std::vector<std::pair<std::string, std::vector<std::string>>> unsupported;
  llvm::StringMap<size_t> position;
  for (const Node &node : graph.nodes) {
    if (node.opType.empty())
      return emitError(nodeLocation(context, model.path, node))
                 << "the node has no op_type",
             failure();
    if (isDefaultDomain(node.domain) && converters().count(node.opType))
      continue;
    std::string op = isDefaultDomain(node.domain)
                         ? node.opType
                         : node.domain + "." + node.opType;
    auto [it, inserted] = position.try_emplace(op, unsupported.size());
    if (inserted)
      unsupported.push_back({op, {}});
    unsupported[it->second].second.push_back(node.displayName());
  }
  if (unsupported.empty())
    return success();
  auto diag = error() << (unsupported.size() == 1 ? "an operator" : "operators")
                      << " that cnnc does not support: ";
  llvm::interleave(
      unsupported,
      [&](const auto &entry) {
        const std::vector<std::string> &nodes = entry.second;
        diag << entry.first << " (node" << (nodes.size() == 1 ? " " : "s ");
        size_t shown = std::min<size_t>(nodes.size(), 5);
        for (size_t i = 0; i < shown; ++i) {
          if (i)
            diag << ", ";
          if (llvm::StringRef(nodes[i]).starts_with("#"))
            diag << nodes[i];
          else
            diag << "'" << nodes[i] << "'";
        }
        if (nodes.size() > shown)
          diag << " and " << nodes.size() - shown << " more";
        diag << ")";
      },
      [&] { diag << ", "; });
  return failure();
}

LogicalResult GraphImporter::checkOptions() {
  auto inputNames = [&] {
    std::string names;
    for (const ValueInfo &info : graph.inputs) {
      if (llvm::any_of(graph.initializers, [&](const auto &init) {
            return init->name == info.name;
          }))
        continue;
      names += (names.empty() ? "'" : ", '") + info.name + "'";
    }
    return names.empty() ? std::string("none") : names;
  };
  auto isInput = [&](const std::string &name) {
    return llvm::any_of(
        graph.inputs, [&](const ValueInfo &info) { return info.name == name; });
  };
  bool ok = true;
  for (const auto &[name, shape] : options.inputShapes)
    if (!isInput(name)) {
      error() << "--shape names '" << name
              << "', which is not a graph input (the inputs are "
              << inputNames() << ")";
      ok = false;
    }
  for (const auto &[name, tensor] : options.constants)
    if (!isInput(name)) {
      error() << "--const names '" << name
              << "', which is not a graph input (the inputs are "
              << inputNames() << ")";
      ok = false;
    }
  if (options.batch && *options.batch <= 0) {
    error() << "--batch must be positive, got " << *options.batch;
    ok = false;
  }
  return success(ok);
}

FailureOr<llvm::SmallVector<int64_t, 4>>
GraphImporter::inputShape(const ValueInfo &info) {
  auto given = options.inputShapes.find(info.name);
  if (given != options.inputShapes.end()) {
    const auto &shape = given->second;
    if (info.hasShape) {
      if (info.dims.size() != shape.size())
        return error() << "--shape gives graph input '" << info.name
                       << "' rank " << shape.size()
                       << ", but the model declares rank " << info.dims.size(),
               failure();
      for (auto [i, dim] : llvm::enumerate(info.dims))
        if (dim.isKnown() && dim.value != shape[i])
          return error() << "--shape gives graph input '" << info.name
                         << "' the shape " << formatShape(shape)
                         << ", but the model fixes dimension " << i << " to "
                         << dim.value,
                 failure();
    }
    return shape;
  }

  auto howToPin = [&](InFlightDiagnostic &diag) {
    std::string example;
    for (auto [i, dim] : llvm::enumerate(info.dims))
      example +=
          (i ? "x" : "") + (dim.isKnown() ? std::to_string(dim.value)
                                          : std::string(i == 0 ? "1" : "N"));
    diag << "; pin it with --shape " << info.name << "="
         << (info.hasShape && !info.dims.empty() ? example : "1x3x224x224");
    if (info.hasShape && !info.dims.empty() && !info.dims[0].isKnown())
      diag << " or --batch N";
  };
  if (!info.hasShape) {
    auto diag = error() << "graph input '" << info.name
                        << "' has no declared shape";
    howToPin(diag);
    return failure();
  }
  llvm::SmallVector<int64_t, 4> shape;
  for (auto [i, dim] : llvm::enumerate(info.dims)) {
    if (dim.isKnown()) {
      shape.push_back(dim.value);
    } else if (i == 0 && options.batch) {
      shape.push_back(*options.batch);
    } else {
      std::string text = "[";
      for (auto [j, d] : llvm::enumerate(info.dims))
        text +=
            (j ? ", " : "") +
            (d.isKnown() ? std::to_string(d.value)
                         : (d.symbol.empty() ? std::string("?") : d.symbol));
      text += "]";
      auto diag = error() << "graph input '" << info.name
                          << "' has the dynamic shape " << text;
      howToPin(diag);
      return failure();
    }
  }
  return shape;
}

LogicalResult GraphImporter::bindInputs() {
  // One name, one value: a second initializer or graph input of a name
  // would silently win over (or shadow) the first.
  llvm::StringSet<> initializers, inputs;
  for (const std::shared_ptr<const Tensor> &init : graph.initializers)
    if (!initializers.insert(init->name).second)
      return error() << "two initializers are named '" << init->name
                     << "' (each value needs a name of its own)";
  for (const ValueInfo &info : graph.inputs)
    if (!inputs.insert(info.name).second)
      return error() << "two graph inputs are named '" << info.name
                     << "' (each value needs a name of its own)";
  for (const std::shared_ptr<const Tensor> &init : graph.initializers) {
    ValueState &value = state.values[init->name];
    value.type = init->type;
    value.shape.assign(init->shape.begin(), init->shape.end());
    value.constant = init;
  }
  bool ok = true;
  for (const ValueInfo &info : graph.inputs) {
    if (state.values.count(info.name) && state.values[info.name].constant)
      continue; // An initializer listed as an input (IR version < 4).
    auto bound = options.constants.find(info.name);
    if (bound != options.constants.end()) {
      auto tensor = std::make_shared<Tensor>(bound->second);
      tensor->name = info.name;
      if (info.type != ElementType::Undefined && info.type != tensor->type) {
        error() << "--const gives graph input '" << info.name
                << "' a tensor of " << elementTypeName(tensor->type)
                << ", but the model declares " << elementTypeName(info.type);
        ok = false;
        continue;
      }
      ValueState &value = state.values[info.name];
      value.type = tensor->type;
      value.shape.assign(tensor->shape.begin(), tensor->shape.end());
      value.constant = std::move(tensor);
      continue;
    }
    if (info.type == ElementType::Undefined) {
      error() << "graph input '" << info.name << "' has no tensor type";
      ok = false;
      continue;
    }
    FailureOr<llvm::SmallVector<int64_t, 4>> shape = inputShape(info);
    if (failed(shape)) {
      ok = false;
      continue;
    }
    int64_t count = host::countElements(*shape);
    if (count > kMaxTensorElements) {
      error() << "graph input '" << info.name << "' has the shape "
              << formatShape(*shape) << ", more than 2^40 elements";
      ok = false;
      continue;
    }
    ValueState &value = state.values[info.name];
    value.type = info.type;
    value.shape = *shape;
    // Floating-point and 8-bit (quantized) inputs are data; other integer
    // inputs are shapes, axes or indices, bound with --const when needed.
    if (isFloatingPoint(info.type) || info.type == ElementType::UInt8 ||
        info.type == ElementType::Int8) {
      arguments.push_back(
          {info.name, RankedTensorType::get(
                          *shape, convertElementType(context, info.type))});
    } else if (isInteger(info.type)) {
      value.unboundInput = true;
    } else {
      error() << "graph input '" << info.name << "' has element type "
              << elementTypeName(info.type)
              << ", which cnnc does not support (it computes on float, "
                 "double, float16 and bfloat16 tensors)";
      ok = false;
    }
  }
  return success(ok);
}

LogicalResult GraphImporter::sortNodes() {
  // Who defines each value.
  llvm::StringMap<const Node *> producer;
  bool ok = true;
  for (const Node &node : graph.nodes)
    for (const std::string &output : node.outputs) {
      if (output.empty())
        continue;
      if (state.values.count(output)) {
        emitError(nodeLocation(context, model.path, node))
            << "output '" << output
            << "' is also a graph input or an initializer";
        ok = false;
      } else if (!producer.try_emplace(output, &node).second) {
        emitError(nodeLocation(context, model.path, node))
            << "output '" << output << "' is also an output of node '"
            << producer[output]->displayName() << "' ("
            << producer[output]->opType << ")";
        ok = false;
      }
    }
  if (!ok)
    return failure();

  // Kahn's algorithm.
  std::vector<int> pending(graph.nodes.size(), 0);
  std::vector<std::vector<size_t>> consumers(graph.nodes.size());
  for (const Node &node : graph.nodes) {
    llvm::StringSet<> seen;
    for (const std::string &input : node.inputs) {
      if (input.empty() || !seen.insert(input).second)
        continue;
      if (state.values.count(input))
        continue;
      auto it = producer.find(input);
      if (it == producer.end()) {
        emitError(nodeLocation(context, model.path, node))
            << "input '" << input
            << "' is not defined: no graph input, initializer or node "
               "output has that name";
        ok = false;
        continue;
      }
      ++pending[node.index];
      consumers[it->second->index].push_back(node.index);
    }
  }
  for (const ValueInfo &output : graph.outputs)
    if (!producer.count(output.name) && !state.values.count(output.name)) {
      error() << "graph output '" << output.name
              << "' is not defined: no node computes it";
      ok = false;
    }
  if (!ok)
    return failure();

  // The ready node that comes first in the file goes first, so that a
  // sorted graph keeps its order.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (const Node &node : graph.nodes)
    if (pending[node.index] == 0)
      ready.push(node.index);
  while (!ready.empty()) {
    size_t index = ready.top();
    ready.pop();
    order.push_back(&graph.nodes[index]);
    for (size_t consumer : consumers[index])
      if (--pending[consumer] == 0)
        ready.push(consumer);
  }
  if (order.size() == graph.nodes.size())
    return success();

  auto diag = error() << "the graph has a cycle: nodes ";
  size_t shown = 0;
  for (const Node &node : graph.nodes) {
    if (pending[node.index] == 0)
      continue;
    if (shown++ == 8) {
      diag << ", ...";
      break;
    }
    diag << (shown > 1 ? ", " : "");
    if (node.name.empty())
      diag << node.displayName();
    else
      diag << "'" << node.name << "'";
    diag << " (" << node.opType << ")";
  }
  diag << " depend on each other's outputs";
  return failure();
}

void GraphImporter::markLiveNodes() {
  for (const ValueInfo &output : graph.outputs)
    state.used.insert(output.name);
  live.assign(graph.nodes.size(), false);
  for (const Node *node : llvm::reverse(order)) {
    bool needed = llvm::any_of(node->outputs, [&](const std::string &output) {
      return !output.empty() && state.used.contains(output);
    });
    if (!needed)
      continue;
    live[node->index] = true;
    for (const std::string &input : node->inputs)
      if (!input.empty())
        state.used.insert(input);
  }
}

LogicalResult GraphImporter::convertNodes() {
  for (const Node *node : order) {
    if (!live[node->index])
      continue;
    Location loc = nodeLocation(context, model.path, *node);
    NodeImporter importer(state, *node, opset, loc);
    ConvertFn convert = converters().lookup(node->opType);
    if (failed(convert(importer)))
      return failure();
    if (std::optional<size_t> output = importer.undefinedOutput())
      return emitError(loc)
                 << "output " << *output << " ('" << node->outputs[*output]
                 << "') is read, but " << node->opType
                 << " does not produce an output " << *output,
             failure();
    // A Pad, Expand or Resize of absurd sizes would compile into an object
    // that cannot run; refuse it at the node.
    for (const std::string &output : node->outputs) {
      auto it = output.empty() ? state.values.end() : state.values.find(output);
      if (it == state.values.end() ||
          host::countElements(it->second.shape) <= kMaxTensorElements)
        continue;
      return emitError(loc) << "output '" << output << "' has the shape "
                            << formatShape(it->second.shape)
                            << ", more than 2^40 elements",
             failure();
    }
  }
  return success();
}

LogicalResult GraphImporter::checkOutputs(SmallVectorImpl<Value> &results) {
  for (const ValueInfo &output : graph.outputs) {
    ValueState &value = state.values[output.name];
    FailureOr<Value> result = state.materialize(value, output.name, fileLoc);
    if (failed(result))
      return failure();
    if (output.type != ElementType::Undefined && output.type != value.type &&
        convertElementType(context, output.type) !=
            convertElementType(context, value.type))
      return error() << "graph output '" << output.name << "' is declared as "
                     << elementTypeName(output.type) << " but computes "
                     << elementTypeName(value.type),
             failure();
    if (output.hasShape) {
      bool fits = output.dims.size() == value.shape.size();
      for (size_t i = 0; fits && i < output.dims.size(); ++i)
        fits =
            !output.dims[i].isKnown() || output.dims[i].value == value.shape[i];
      if (!fits) {
        std::string declared = "[";
        for (auto [i, d] : llvm::enumerate(output.dims))
          declared += (i ? ", " : "") +
                      (d.isKnown() ? std::to_string(d.value)
                                   : (d.symbol.empty() ? "?" : d.symbol));
        declared += "]";
        return error() << "graph output '" << output.name
                       << "' is declared with shape " << declared
                       << ", but the graph computes "
                       << formatShape(value.shape),
               failure();
      }
    }
    results.push_back(*result);
  }
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (failed(checkOpsetAndOperators()) || failed(checkOptions()))
    return nullptr;
  if (graph.outputs.empty()) {
    error() << "the model has no outputs";
    return nullptr;
  }
  for (const ValueInfo &info : graph.valueInfos)
    state.declared[info.name] = &info;
  for (const ValueInfo &info : graph.outputs)
    state.declared[info.name] = &info;
  if (failed(bindInputs()) || failed(sortNodes()))
    return nullptr;
  markLiveNodes();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder &builder = state.builder;
  builder.setInsertionPointToEnd(module->getBody());
  llvm::SmallVector<Type> argumentTypes;
  for (const auto &argument : arguments)
    argumentTypes.push_back(argument.second);
  function = func::FuncOp::create(builder, fileLoc, options.functionName,
                                  builder.getFunctionType(argumentTypes, {}));
  Block *entry = function.addEntryBlock();
  for (auto [i, argument] : llvm::enumerate(arguments)) {
    BlockArgument value = entry->getArgument(i);
    value.setLoc(NameLoc::get(builder.getStringAttr(argument.first), fileLoc));
    state.values[argument.first].value = value;
    function.setArgAttr(i, cnnc::attrs::kName, builder.getStringAttr(argument.first));
  }
  builder.setInsertionPointToEnd(entry);

  SmallVector<Value> results;
  if (failed(convertNodes()) || failed(checkOutputs(results)))
    return nullptr;
  func::ReturnOp::create(builder, fileLoc, results);
  function.setFunctionType(
      builder.getFunctionType(argumentTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.outputs))
    function.setResultAttr(i, cnnc::attrs::kName, builder.getStringAttr(output.name));
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importModel(const Model &model,
                                  const ImportOptions &options,
                                  MLIRContext *context,
                                  std::vector<std::string> *wantedConstants) {
  context->loadDialect<func::FuncDialect, cnn::CNNDialect>();
  GraphImporter importer(model, options, context);
  OwningOpRef<ModuleOp> module = importer.run();
  if (wantedConstants)
    *wantedConstants = importer.wantedConstants();
  return module;
}

} // namespace cnnc::onnx
