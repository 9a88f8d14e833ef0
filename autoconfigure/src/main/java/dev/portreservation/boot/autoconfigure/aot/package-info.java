/**
 * Ahead-of-time processing and native images: the block's lifecycle is the same in AOT
 * mode, and the runtime hints for what the library loads reflectively (JNA, JDK
 * internals).
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
