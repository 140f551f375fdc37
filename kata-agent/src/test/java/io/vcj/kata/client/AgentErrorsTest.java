package io.vcj.kata.client;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentErrorsTest {

    @ParameterizedTest
    @CsvSource({
            "NOT_FOUND, io.vcj.vc.VcException$NotFound",
            "ALREADY_EXISTS, io.vcj.vc.VcException$AlreadyExists",
            "INVALID_ARGUMENT, io.vcj.vc.VcException$InvalidArgument",
            "FAILED_PRECONDITION, io.vcj.vc.VcException$FailedPrecondition",
            "UNAVAILABLE, io.vcj.vc.agent.AgentException",
            "DEADLINE_EXCEEDED, io.vcj.vc.agent.AgentException",
            "INTERNAL, io.vcj.vc.agent.AgentException",
            "UNIMPLEMENTED, io.vcj.vc.agent.AgentException"})
    void statusBecomesTheMatchingException(StatusCode code, Class<?> expected) {
        RuntimeException e = AgentErrors.translate("StartContainer", new TtrpcException(code, "container web: boom"));
        assertInstanceOf(expected, e);
        assertTrue(e.getMessage().contains("StartContainer") && e.getMessage().contains("container web: boom"),
                e.getMessage());
    }
}
