// RUN: cnnc-opt %s --cnnc-lower-parallel-calls | FileCheck %s

// The call of a chunk function over [0, 448) becomes cnnc_parallel_for: the
// captured pointers go into a context struct on the caller's stack, and a
// task function unpacks them for each chunk.
// CHECK:       llvm.func @cnnc_parallel_for(i64, i64, !llvm.ptr, !llvm.ptr)
// CHECK:       llvm.func internal @body_task(%[[CTX:.*]]: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK:         %[[F0:.*]] = llvm.getelementptr %[[CTX]][0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr)>
// CHECK:         %[[P0:.*]] = llvm.load %[[F0]] : !llvm.ptr -> !llvm.ptr
// CHECK:         %[[F1:.*]] = llvm.getelementptr %[[CTX]][0, 1]
// CHECK:         %[[P1:.*]] = llvm.load %[[F1]] : !llvm.ptr -> !llvm.ptr
// CHECK:         llvm.call @body(%[[B]], %[[E]], %[[P0]], %[[P1]])
// CHECK-LABEL: llvm.func @graph
// CHECK:         %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK:         %[[CONTEXT:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(ptr, ptr)>
// CHECK:         llvm.store %arg0
// CHECK:         llvm.store %arg1
// CHECK:         %[[TASK:.*]] = llvm.mlir.addressof @body_task
// CHECK:         llvm.call @cnnc_parallel_for(%{{.*}}, %[[ONE]], %[[TASK]], %[[CONTEXT]])
// CHECK-NOT:     llvm.call @body(
// CHECK-NOT:   cnnc.parallel_body
llvm.func @body(%begin: i64, %end: i64, %in: !llvm.ptr, %out: !llvm.ptr) attributes {cnnc.parallel_body} {
  llvm.return
}
llvm.func @graph(%in: !llvm.ptr, %out: !llvm.ptr) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c448 = llvm.mlir.constant(448 : i64) : i64
  llvm.call @body(%c0, %c448, %in, %out) : (i64, i64, !llvm.ptr, !llvm.ptr) -> ()
  llvm.return
}
