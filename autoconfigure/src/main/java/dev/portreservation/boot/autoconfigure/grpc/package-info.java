/**
 * Auto-configuration that binds the Spring gRPC server through the reserved block.
 */
@NullMarked
package dev.portreservation.boot.autoconfigure.grpc;

import org.jspecify.annotations.NullMarked;
