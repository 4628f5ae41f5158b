//===- CodeGenTest.cpp - Model names, targets and the CPU check -----------===//

#include "cnnc/CodeGen/CodeGen.h"
#include "cnnc/runtime.h"

#include "llvm/MC/MCSubtargetInfo.h"

#include <gtest/gtest.h>

namespace {

TEST(ModelNames, CIdentifiersOnly) {
  EXPECT_TRUE(cnnc::isValidModelName("resnet18"));
  EXPECT_TRUE(cnnc::isValidModelName("_model_2"));
  EXPECT_FALSE(cnnc::isValidModelName(""));
  EXPECT_FALSE(cnnc::isValidModelName("18resnet"));
  EXPECT_FALSE(cnnc::isValidModelName("res-net"));
  EXPECT_FALSE(cnnc::isValidModelName("int"));
  EXPECT_FALSE(cnnc::isValidModelName("class"));
}

TEST(ModelNames, DerivedFromTheOutputFile) {
  EXPECT_EQ(cnnc::modelNameFromPath("build/resnet18.o"), "resnet18");
  EXPECT_EQ(cnnc::modelNameFromPath("out/mobilenet-v2.1.o"), "mobilenet_v2_1");
  EXPECT_EQ(cnnc::modelNameFromPath("3x3.o"), "_3x3");
  EXPECT_EQ(cnnc::modelNameFromPath("float.o"), "_float");
  for (const char *path : {"a b.o", "ünïcode.o", "-.o"})
    EXPECT_TRUE(cnnc::isValidModelName(cnnc::modelNameFromPath(path)))
        << path;
}

TEST(Targets, UnknownCpuAndTripleAreErrors) {
  cnnc::TargetOptions options;
  options.cpu = "pentium-pro-max";
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      cnnc::createTargetMachine(options);
  ASSERT_FALSE(static_cast<bool>(machine));
  EXPECT_NE(llvm::toString(machine.takeError()).find("pentium-pro-max"),
            std::string::npos);
  options.cpu = "native";
  options.triple = "aarch64-linux-gnu";
  machine = cnnc::createTargetMachine(options);
  ASSERT_FALSE(static_cast<bool>(machine));
  EXPECT_NE(llvm::toString(machine.takeError()).find("x86-64 only"),
            std::string::npos);
}

TEST(Targets, RequiredFeaturesFollowTheCpu) {
  cnnc::TargetOptions options;
  options.cpu = "x86-64-v3";
  auto v3 = cnnc::createTargetMachine(options);
  ASSERT_TRUE(static_cast<bool>(v3)) << llvm::toString(v3.takeError());
  std::vector<std::string> features = cnnc::requiredCPUFeatures(**v3);
  auto has = [&](const char *name) {
    return std::find(features.begin(), features.end(), name) !=
           features.end();
  };
  EXPECT_TRUE(has("avx2"));
  EXPECT_TRUE(has("fma"));
  EXPECT_FALSE(has("avx512f"));
  options.cpu = "x86-64-v4";
  auto v4 = cnnc::createTargetMachine(options);
  ASSERT_TRUE(static_cast<bool>(v4)) << llvm::toString(v4.takeError());
  features = cnnc::requiredCPUFeatures(**v4);
  EXPECT_TRUE(has("avx512f"));
  EXPECT_TRUE(has("avx512bw"));
}

// The compiler only asks the runtime about features it can check.
TEST(Targets, TheRuntimeUnderstandsEveryCheckedFeature) {
  for (const char *feature : cnnc::checkableCPUFeatures()) {
    cnnc_clear_error();
    cnnc_check_cpu_features("test", feature);
    EXPECT_EQ(std::string(cnnc_last_error()).find("cannot check"),
              std::string::npos)
        << feature << ": " << cnnc_last_error();
  }
}

} // namespace
