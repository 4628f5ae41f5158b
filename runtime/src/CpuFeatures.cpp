//===- CpuFeatures.cpp - Does this CPU run the code it was compiled for? --===//
//
// Compiled models call cnnc_check_cpu_features once, with the LLVM names of
// the instruction-set features their code uses. The answer comes from
// CPUID, and for the AVX and AVX-512 families also from XGETBV: a CPU that
// has AVX-512 under an OS that does not save its registers cannot use it.
// CNNC_DISABLE_CPU_FEATURES (a comma-separated list) makes the runtime
// treat features as missing: to test what a machine without them sees.
//
//===----------------------------------------------------------------------===//

#include "cnnc/runtime.h"

#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define CNNC_X86 1
#endif

namespace {

enum Register { EAX, EBX, ECX, EDX };

/// Where CPUID reports one feature: leaf, subleaf, register, bit, and which
/// register state the OS must save for it to be usable.
struct FeatureBit {
  const char *name;
  unsigned leaf, subleaf;
  Register reg;
  unsigned bit;
  enum { None, Avx, Avx512 } state;
};

constexpr FeatureBit kFeatures[] = {
    {"sse3", 1, 0, ECX, 0, FeatureBit::None},
    {"ssse3", 1, 0, ECX, 9, FeatureBit::None},
    {"fma", 1, 0, ECX, 12, FeatureBit::Avx},
    {"sse4.1", 1, 0, ECX, 19, FeatureBit::None},
    {"sse4.2", 1, 0, ECX, 20, FeatureBit::None},
    {"movbe", 1, 0, ECX, 22, FeatureBit::None},
    {"popcnt", 1, 0, ECX, 23, FeatureBit::None},
    {"avx", 1, 0, ECX, 28, FeatureBit::Avx},
    {"f16c", 1, 0, ECX, 29, FeatureBit::Avx},
    {"bmi", 7, 0, EBX, 3, FeatureBit::None},
    {"avx2", 7, 0, EBX, 5, FeatureBit::Avx},
    {"bmi2", 7, 0, EBX, 8, FeatureBit::None},
    {"avx512f", 7, 0, EBX, 16, FeatureBit::Avx512},
    {"avx512dq", 7, 0, EBX, 17, FeatureBit::Avx512},
    {"avx512ifma", 7, 0, EBX, 21, FeatureBit::Avx512},
    {"avx512cd", 7, 0, EBX, 28, FeatureBit::Avx512},
    {"avx512bw", 7, 0, EBX, 30, FeatureBit::Avx512},
    {"avx512vl", 7, 0, EBX, 31, FeatureBit::Avx512},
    {"avx512vbmi", 7, 0, ECX, 1, FeatureBit::Avx512},
    {"avx512vbmi2", 7, 0, ECX, 6, FeatureBit::Avx512},
    {"avx512vnni", 7, 0, ECX, 11, FeatureBit::Avx512},
    {"avx512bitalg", 7, 0, ECX, 12, FeatureBit::Avx512},
    {"avx512vpopcntdq", 7, 0, ECX, 14, FeatureBit::Avx512},
    {"avx512fp16", 7, 0, EDX, 23, FeatureBit::Avx512},
    {"avxvnni", 7, 1, EAX, 4, FeatureBit::Avx},
    {"avx512bf16", 7, 1, EAX, 5, FeatureBit::Avx512},
    {"lzcnt", 0x80000001u, 0, ECX, 5, FeatureBit::None},
};

const FeatureBit *findFeature(const std::string &name) {
  for (const FeatureBit &feature : kFeatures)
    if (name == feature.name)
      return &feature;
  return nullptr;
}

/// True when CNNC_DISABLE_CPU_FEATURES names `name`.
bool disabled(const char *name) {
  const char *list = std::getenv("CNNC_DISABLE_CPU_FEATURES");
  if (!list)
    return false;
  size_t length = std::strlen(name);
  for (const char *cursor = list; *cursor;) {
    const char *end = std::strchr(cursor, ',');
    size_t size = end ? static_cast<size_t>(end - cursor) : std::strlen(cursor);
    if (size == length && std::strncmp(cursor, name, length) == 0)
      return true;
    if (!end)
      break;
    cursor = end + 1;
  }
  return false;
}

#ifdef CNNC_X86
bool cpuHas(const FeatureBit &feature) {
  if (disabled(feature.name))
    return false;
  unsigned regs[4] = {0, 0, 0, 0};
  if (!__get_cpuid_count(feature.leaf, feature.subleaf, &regs[EAX], &regs[EBX],
                         &regs[ECX], &regs[EDX]))
    return false;
  if (!((regs[feature.reg] >> feature.bit) & 1))
    return false;
  if (feature.state == FeatureBit::None)
    return true;
  // The OS must have enabled XSAVE and save the vector registers.
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1))
    return false;
  unsigned low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  unsigned wanted = feature.state == FeatureBit::Avx ? 0x6u : 0xE6u;
  return (low & wanted) == wanted;
}
#else
bool cpuHas(const FeatureBit &) { return false; }
#endif

} // namespace

extern "C" int cnnc_cpu_has_feature(const char *feature) {
  const FeatureBit *known = findFeature(feature ? feature : "");
  return known && cpuHas(*known) ? 1 : 0;
}

extern "C" int cnnc_check_cpu_features(const char *model,
                                       const char *features) {
  std::string missing, unknown;
  const char *cursor = features ? features : "";
  while (*cursor) {
    const char *end = std::strchr(cursor, ',');
    std::string name =
        end ? std::string(cursor, end - cursor) : std::string(cursor);
    cursor = end ? end + 1 : cursor + name.size();
    if (name.empty())
      continue;
    const FeatureBit *feature = findFeature(name);
    std::string &list = feature ? missing : unknown;
    if (feature && cpuHas(*feature))
      continue;
    list += (list.empty() ? "" : ", ") + name;
  }
  if (!unknown.empty()) {
    cnnc_set_error("cnnc: %s was compiled for CPU features this runtime "
                   "cannot check (%s); link the runtime of the cnnc that "
                   "compiled it",
                   model, unknown.c_str());
    return CNNC_ERROR_CPU_FEATURES;
  }
  if (!missing.empty()) {
    cnnc_set_error("cnnc: %s was compiled for a CPU with %s, which this CPU "
                   "lacks; recompile it with --mcpu=native on this machine "
                   "or with an older --mcpu (e.g. x86-64-v3 for AVX2)",
                   model, missing.c_str());
    return CNNC_ERROR_CPU_FEATURES;
  }
  return CNNC_OK;
}
