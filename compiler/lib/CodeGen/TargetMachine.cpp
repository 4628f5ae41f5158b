//===- TargetMachine.cpp - The machine cnnc generates code for ------------===//

#include "cnnc/CodeGen/CodeGen.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
void LLVMInitializeX86AsmParser();
}

namespace cnnc {

namespace {

/// The features the runtime's cnnc_check_cpu_features knows how to test,
/// in its spelling (LLVM's). Keep in sync with runtime/src/CpuFeatures.cpp;
/// a unit test checks that the runtime understands every one.
const char *const kCheckableFeatures[] = {
    "sse3",       "ssse3",       "sse4.1",       "sse4.2",
    "popcnt",     "movbe",       "lzcnt",        "bmi",
    "bmi2",       "avx",         "avx2",         "fma",
    "f16c",       "avxvnni",     "avx512f",      "avx512dq",
    "avx512cd",   "avx512bw",    "avx512vl",     "avx512ifma",
    "avx512vbmi", "avx512vbmi2", "avx512vnni",   "avx512bitalg",
    "avx512vpopcntdq", "avx512bf16", "avx512fp16",
};

void initializeTargets() {
  static bool initialized = [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
    return true;
  }();
  (void)initialized;
}

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

llvm::ArrayRef<const char *> checkableCPUFeatures() {
  return kCheckableFeatures;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options) {
  initializeTargets();
  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : llvm::Triple::normalize(options.triple));
  std::string message;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target)
    return fail("--target-triple=" + triple.str() +
                ": cnnc generates code for x86-64 only (" + message + ")");
  if (triple.getArch() != llvm::Triple::x86_64)
    return fail("--target-triple=" + triple.str() +
                ": cnnc generates code for x86-64 only");

  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SmallVector<std::string> enabled;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      enabled.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(enabled);
    features = llvm::join(enabled, ",");
  } else {
    // Asked of the generic CPU: one made for an unknown name would warn on
    // stderr before the error below says it better.
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!info || !info->isCPUStringValid(cpu))
      return fail("--mcpu=" + cpu +
                  ": not a CPU LLVM knows; use native (the default), "
                  "x86-64-v2, x86-64-v3 (AVX2), x86-64-v4 (AVX-512), or a "
                  "name such as skylake-avx512 or znver4");
  }

  llvm::CodeGenOptLevel level = llvm::CodeGenOptLevel::Default;
  switch (options.optLevel) {
  case 0:
    level = llvm::CodeGenOptLevel::None;
    break;
  case 1:
    level = llvm::CodeGenOptLevel::Less;
    break;
  case 3:
    level = llvm::CodeGenOptLevel::Aggressive;
    break;
  default:
    break;
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      level));
  if (!machine)
    return fail("cannot create a target machine for " + triple.str() + ", " +
                cpu);
  return machine;
}

unsigned vectorRegisterBits(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f"))
    return 512;
  if (info->checkFeatures("+avx2,+fma"))
    return 256;
  return 0;
}

unsigned int8DotProductBits(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  unsigned vectorBits = vectorRegisterBits(machine);
  if (vectorBits == 512 && info->checkFeatures("+avx512vnni"))
    return 512;
  if (vectorBits >= 256 && (info->checkFeatures("+avxvnni") ||
                            info->checkFeatures("+avx512vnni,+avx512vl")))
    return 256;
  return 0;
}

unsigned int8MultiplyAddBits(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  unsigned vectorBits = vectorRegisterBits(machine);
  if (vectorBits == 512 && info->checkFeatures("+avx512bw"))
    return 512;
  if (vectorBits >= 256 && info->checkFeatures("+avx2"))
    return 256;
  return 0;
}

std::vector<std::string>
requiredCPUFeatures(const llvm::TargetMachine &machine) {
  std::vector<std::string> required;
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  for (const char *feature : kCheckableFeatures)
    if (info->checkFeatures(std::string("+") + feature))
      required.push_back(feature);
  return required;
}

} // namespace cnnc
