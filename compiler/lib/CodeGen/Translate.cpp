//===- Translate.cpp - LLVM dialect to LLVM IR to machine code ------------===//

#include "cnnc/CodeGen/CodeGen.h"

#include "EntryPoints.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"

namespace cnnc {

namespace {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// LLVM's default pipeline for -O`level`.
void optimize(llvm::Module &module, llvm::TargetMachine &machine,
              unsigned level) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = level >= 2;
  tuning.SLPVectorization = level >= 2;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::OptimizationLevel optimization =
      level == 0   ? llvm::OptimizationLevel::O0
      : level == 1 ? llvm::OptimizationLevel::O1
      : level == 2 ? llvm::OptimizationLevel::O2
                   : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager passes =
      level == 0 ? builder.buildO0DefaultPipeline(optimization)
                 : builder.buildPerModuleDefaultPipeline(optimization);
  passes.run(module, modules);
}

/// Constant arrays from this size on are emitted as bytes.
constexpr size_t kRawConstantBytes = 4096;

/// The weights as arrays of bytes: the object holds the same bytes, but
/// the code generator writes an i8 array in one piece where it takes a
/// float array apart element by element (an APFloat, an alignment query
/// and a streamer call each: a tenth of ResNet-50's compile time). The
/// code addresses globals through pointers, so the type does not matter.
void emitConstantsAsBytes(llvm::Module &module) {
  llvm::Type *byte = llvm::Type::getInt8Ty(module.getContext());
  for (llvm::GlobalVariable &global :
       llvm::make_early_inc_range(module.globals())) {
    if (!global.isConstant() || !global.hasInitializer())
      continue;
    auto *data =
        llvm::dyn_cast<llvm::ConstantDataSequential>(global.getInitializer());
    if (!data || data->getElementType() == byte ||
        data->getRawDataValues().size() < kRawConstantBytes)
      continue;
    llvm::StringRef bytes = data->getRawDataValues();
    llvm::Constant *initializer =
        llvm::ConstantDataArray::getRaw(bytes, bytes.size(), byte);
    auto *raw = new llvm::GlobalVariable(
        module, initializer->getType(), /*isConstant=*/true,
        global.getLinkage(), initializer, "", &global,
        global.getThreadLocalMode(), global.getAddressSpace());
    raw->copyAttributesFrom(&global);
    raw->takeName(&global);
    global.replaceAllUsesWith(raw);
    global.eraseFromParent();
  }
}

} // namespace

llvm::Expected<std::unique_ptr<llvm::Module>>
translateModel(mlir::ModuleOp module, const ModelInterface &model,
               llvm::TargetMachine &machine, unsigned optLevel,
               llvm::LLVMContext &context) {
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);

  std::string graphName = graphSymbol(model.name, "graph");
  if (!module.lookupSymbol<mlir::LLVM::LLVMFuncOp>(graphName))
    return fail("the lowered module has no graph function '" + graphName +
                "'");
  for (auto function : module.getOps<mlir::LLVM::LLVMFuncOp>()) {
    // cnn.name and the like: documentation for the C interface, not LLVM.
    function.removeArgAttrsAttr();
    function.removeResAttrsAttr();
  }

  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, model.name);
  if (!llvmModule)
    return fail("cannot translate the LLVM dialect to LLVM IR");
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple());

  EntryPointTarget target;
  target.cpu = machine.getTargetCPU().str();
  target.features = machine.getTargetFeatureString().str();
  target.requiredFeatures = requiredCPUFeatures(machine);
  if (llvm::Error error =
          addEntryPoints(*llvmModule, graphName, model, target))
    return std::move(error);

  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*llvmModule, &os))
    return fail("the generated LLVM IR is invalid: " + problems);
  optimize(*llvmModule, machine, optLevel);
  return llvmModule;
}

llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType type,
                            llvm::raw_pwrite_stream &os) {
  emitConstantsAsBytes(module);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, type))
    return fail("the target cannot emit this kind of file");
  passes.run(module);
  return llvm::Error::success();
}

} // namespace cnnc
