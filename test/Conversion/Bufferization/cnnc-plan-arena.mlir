// RUN: cnnc-opt %s --cnnc-plan-arena --split-input-file -verify-diagnostics | FileCheck %s

// %a dies when %c is born: %c reuses its bytes. %b lives across both and
// gets its own. Sizes round up to the 64-byte alignment: 16 floats = 64.
// CHECK-LABEL: func.func @reuse
// CHECK-SAME:    %[[WS:[a-z0-9]+]]: memref<192xi8> {cnn.name = "workspace"}
// CHECK-SAME:    cnnc.workspace_size = 192 : i64
// CHECK:         %[[OA:.*]] = arith.constant 128 : index
// CHECK:         memref.view %[[WS]][%[[OA]]][] : memref<192xi8> to memref<16xf32>
// CHECK:         %[[OB:.*]] = arith.constant 0 : index
// CHECK:         memref.view %[[WS]][%[[OB]]][] : memref<192xi8> to memref<32xf32>
// CHECK:         %[[OC:.*]] = arith.constant 128 : index
// CHECK:         memref.view %[[WS]][%[[OC]]][] : memref<192xi8> to memref<16xf32>
// CHECK-NOT:     memref.alloc
func.func @reuse(%x: memref<16xf32>, %y: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<32xf32>
  %b0 = memref.subview %b[0] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1]>>
  linalg.copy ins(%a : memref<16xf32>) outs(%b0 : memref<16xf32, strided<[1]>>)
  %c = memref.alloc() : memref<16xf32>
  linalg.copy ins(%b0 : memref<16xf32, strided<[1]>>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%y : memref<16xf32>)
  return
}

// -----

// A view keeps its buffer alive: %a is read through %r after %b is born,
// so they may not share bytes.
// CHECK-LABEL: func.func @alias
// CHECK-SAME:    memref<128xi8>
// CHECK:         arith.constant 0 : index
// CHECK:         memref.view
// CHECK:         arith.constant 64 : index
// CHECK:         memref.view
func.func @alias(%x: memref<16xf32>, %y: memref<4x4xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%a : memref<16xf32>)
  %r = memref.expand_shape %a [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %b = memref.alloc() : memref<16xf32>
  linalg.copy ins(%x : memref<16xf32>) outs(%b : memref<16xf32>)
  linalg.copy ins(%r : memref<4x4xf32>) outs(%y : memref<4x4xf32>)
  linalg.copy ins(%b : memref<16xf32>) outs(%a : memref<16xf32>)
  return
}

// -----

// No intermediates: an empty workspace.
// CHECK-LABEL: func.func @none
// CHECK-SAME:    memref<0xi8> {cnn.name = "workspace"}
// CHECK-SAME:    cnnc.workspace_size = 0 : i64
func.func @none(%x: memref<4xf32>, %y: memref<4xf32>) {
  linalg.copy ins(%x : memref<4xf32>) outs(%y : memref<4xf32>)
  return
}

// -----

func.func @dynamic(%n: index) {
  // expected-error@+1 {{cannot plan a buffer of type 'memref<?xf32>' into the workspace: the shape must be static}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @nested(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error@+1 {{cannot plan an allocation inside a region into the workspace}}
    %a = memref.alloc() : memref<4xf32>
    linalg.copy ins(%x : memref<4xf32>) outs(%a : memref<4xf32>)
  }
  return
}
