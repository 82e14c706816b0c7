using System.Text.Json;
using Envoy.Service.ExtProc.V3;
using Microsoft.AspNetCore.Http;
using Suite.Contracts.OpenAi;
using Suite.Contracts.Serialization;
using Suite.LocalGateway.ExtProc;

namespace Suite.LocalGateway.Forwarding;

/// <summary>Answers the gateway writes itself: the picker's ImmediateResponse, or its own errors as OpenAI error bodies.</summary>
internal static class GatewayAnswers
{
    public static async Task WriteImmediateAsync(HttpContext context, ImmediateResponse answer)
    {
        var response = context.Response;
        var status = (int)(answer.Status?.Code ?? 0);
        response.StatusCode = status is >= 200 and <= 599 ? status : StatusCodes.Status500InternalServerError;
        if (answer.Headers is { } mutation)
        {
            HeaderMutations.Apply(mutation, response.Headers);
        }

        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body.Memory, context.RequestAborted);
    }

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort(); // too late for a status: reset, as Envoy resets a stream it cannot finish
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        var error = new OpenAiErrorEnvelope(new OpenAiError(message, status >= 500 ? "ServiceUnavailableError" : "BadRequestError", status));
        await JsonSerializer.SerializeAsync(response.Body, error, ContractsJsonContext.Default.OpenAiErrorEnvelope, context.RequestAborted);
    }
}
