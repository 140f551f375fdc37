package io.vcj.kata.guest.service;

import io.vcj.kata.guest.container.ContainerException;
import io.vcj.kata.guest.runc.RuncException;
import io.vcj.ttrpc.StatusCode;
import io.vcj.ttrpc.TtrpcException;

/** The ttrpc status the host gets for a failure of the container layer. */
final class Statuses {
    private Statuses() {
    }

    /** A call into the container layer; any exception it throws becomes a status. */
    interface Call<T> {
        T run() throws Exception;
    }

    static <T> T translating(Call<T> call) throws Exception {
        try {
            return call.run();
        } catch (ContainerException e) {
            throw new TtrpcException(code(e.reason()), e.getMessage(), e);
        } catch (RuncException e) {
            throw new TtrpcException(e.isNotFound() ? StatusCode.NOT_FOUND : StatusCode.INTERNAL, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    private static StatusCode code(ContainerException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> StatusCode.NOT_FOUND;
            case ALREADY_EXISTS -> StatusCode.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> StatusCode.FAILED_PRECONDITION;
            case INVALID_ARGUMENT -> StatusCode.INVALID_ARGUMENT;
        };
    }
}
