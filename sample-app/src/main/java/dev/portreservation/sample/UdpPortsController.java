package dev.portreservation.sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.portreservation.core.PortReservationException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /udp/ports} binds one more UDP port of the app's block, {@code DELETE
 * /udp/ports/{port}} closes it again, {@code GET /udp/ports} lists them,
 * {@code GET /udp/echo} names the echo's port.
 */
@RestController
@RequestMapping("/udp")
class UdpPortsController {

	private final UdpPorts ports;

	private final UdpEcho echo;

	UdpPortsController(UdpPorts ports, UdpEcho echo) {
		this.ports = ports;
		this.echo = echo;
	}

	@GetMapping("/ports")
	List<Integer> ports() {
		return this.ports.ports();
	}

	@PostMapping("/ports")
	ResponseEntity<Map<String, Object>> bind() throws IOException {
		int port = this.ports.bind();
		return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("port", port, "owner", UdpPorts.OWNER));
	}

	@DeleteMapping("/ports/{port}")
	ResponseEntity<Void> release(@PathVariable int port) throws IOException {
		return this.ports.release(port) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

	@GetMapping("/echo")
	Map<String, Object> echo() {
		return Map.of("port", this.echo.port(), "owner", UdpEcho.OWNER);
	}

	@ExceptionHandler(PortReservationException.class)
	ResponseEntity<Map<String, Object>> bindFailed(PortReservationException ex) {
		HttpStatus status = (ex.getReason() == PortReservationException.Reason.EXHAUSTED) ? HttpStatus.CONFLICT
				: HttpStatus.INTERNAL_SERVER_ERROR;
		return ResponseEntity.status(status).body(Map.of("reason", ex.getReason().name(), "message", ex.getMessage()));
	}

}
