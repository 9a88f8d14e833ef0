package dev.portreservation.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's JSON is valid JSON that a real parser reads back to the same values, whatever
 * the strings hold (command lines carry quotes, backslashes and control characters).
 */
class JsonTests {

	@Test
	void everyValueReadsBackAsWritten() {
		String awkward = "java -Dx=\"a b\" C:\\path\ttab\nline \u0001 \u00e9";
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("pid", 4242L);
		nested.put("port", 8080);
		nested.put("free", false);
		nested.put("missing", null);
		nested.put("command", awkward);
		nested.put("empty", List.of());
		nested.put("none", Map.of());
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("holders", Arrays.asList(nested, "x", null));
		JsonNode parsed = JsonMapper.builder().build().readTree(Json.write(root));
		JsonNode holder = parsed.get("holders").get(0);
		assertThat(holder.get("pid").asLong()).isEqualTo(4242L);
		assertThat(holder.get("port").asInt()).isEqualTo(8080);
		assertThat(holder.get("free").asBoolean()).isFalse();
		assertThat(holder.get("missing").isNull()).isTrue();
		assertThat(holder.get("command").asString()).isEqualTo(awkward);
		assertThat(holder.get("empty").isArray()).isTrue();
		assertThat(holder.get("none").isObject()).isTrue();
		assertThat(parsed.get("holders").get(2).isNull()).isTrue();
	}

	@Test
	void tablesAlignColumnsAndShowMissingCellsAsADash() {
		String table = new Table("PID", "COMMAND").row(7, "sleep 1").row(12345, null).toString();
		assertThat(table).isEqualTo("PID    COMMAND\n7      sleep 1\n12345  -\n");
	}

}
