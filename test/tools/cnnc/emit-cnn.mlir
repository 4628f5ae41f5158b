// `cnnc compile --emit=cnn` prints the graph after folding; -O0 prints it
// as written; -o writes a file.
// RUN: cnnc compile %s --emit=cnn -o - | FileCheck %s --check-prefix=O2
// RUN: cnnc compile %s --emit=cnn -O0 -o - | FileCheck %s --check-prefix=O0
// RUN: rm -f %t.mlir && cnnc compile %s -o %t.mlir && FileCheck %s --check-prefix=O2 < %t.mlir

// O2-LABEL: func.func @flatten_head
// O0-LABEL: func.func @flatten_head
func.func @flatten_head(%x: tensor<1x8x1x1xf32>) -> tensor<1x8xf32> {
  // O2: %[[R:.*]] = cnn.reshape %{{.*}} : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
  // O2-NOT: cnn.binary
  // O2: return %[[R]]
  // O0: cnn.reshape
  // O0: cnn.binary sub
  %r = cnn.reshape %x : tensor<1x8x1x1xf32> -> tensor<1x8xf32>
  %zero = cnn.constant dense<0.0> : tensor<8xf32>
  %y = cnn.binary sub %r, %zero : (tensor<1x8xf32>, tensor<8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}
