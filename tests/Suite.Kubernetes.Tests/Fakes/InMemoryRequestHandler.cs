using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// The HTTP face of <see cref="InMemoryStore"/>: routes a request, answers it or streams a watch, and logs writes;
/// <see cref="InMemoryFaults"/> may spoil a list, watch or status write first.
/// </summary>
internal sealed class InMemoryRequestHandler(InMemoryStore store, ConcurrentQueue<InMemoryWrite> writes, InMemoryFaults faults, CancellationToken stopping)
{
    private const string MergePatch = "application/merge-patch+json";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var route = InMemoryRoute.Parse(path);
        var selector = InMemoryLabelSelector.Parse(request.Query["labelSelector"].ToString());
        var isWatch = request.Query["watch"].ToString() is "true" or "1";
        var failure = route is null ? null : Spoilt(route, request.Method, isWatch);
        if (failure is null && route is { Name: null } && selector is not null && HttpMethods.IsGet(request.Method) && isWatch)
        {
            await WatchAsync(context, route, selector);
            return;
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var response = failure
            ?? (route is null ? InMemoryResponse.NoSuchResource()
            : selector is null ? InMemoryResponse.BadRequest("only equality-based label selectors are supported here")
            : Dispatch(request.Method, route, selector, body, request.ContentType));
        if (!HttpMethods.IsGet(request.Method))
        {
            writes.Enqueue(new InMemoryWrite(request.Method, path, BearerToken(request), body, response.StatusCode));
        }

        await WriteAsync(context.Response, response, context.RequestAborted);
    }

    /// <summary>The injected failure for this request, if a fault switch covers it.</summary>
    private InMemoryResponse? Spoilt(InMemoryRoute route, string method, bool isWatch)
    {
        var plural = route.Kind.Plural;
        if (HttpMethods.IsGet(method) && route.Name is null)
        {
            return faults.Failure(isWatch ? InMemoryRequestKind.Watch : InMemoryRequestKind.List, plural);
        }

        return route.Subresource == "status" && (HttpMethods.IsPut(method) || HttpMethods.IsPatch(method))
            ? faults.Failure(InMemoryRequestKind.StatusWrite, plural)
            : null;
    }

    private InMemoryResponse Dispatch(string method, InMemoryRoute route, InMemoryLabelSelector selector, string body, string? contentType)
    {
        if (HttpMethods.IsGet(method))
        {
            return route.Name is null ? store.List(route, selector)
                : route.Subresource is null or "status" ? store.Read(route)
                : InMemoryResponse.NoSuchResource();
        }

        if (HttpMethods.IsDelete(method) && route is { Name: not null, Subresource: null })
        {
            return store.DeleteObject(route);
        }

        if (!(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)))
        {
            return InMemoryResponse.MethodNotAllowed();
        }

        if (HttpMethods.IsPatch(method) && !string.Equals(contentType?.Split(';')[0].Trim(), MergePatch, StringComparison.OrdinalIgnoreCase))
        {
            return InMemoryResponse.UnsupportedMediaType(contentType ?? "no content type");
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return InMemoryResponse.BadRequest("the request body is not a JSON object");
        }

        return (route.Name, route.Subresource) switch
        {
            (null, _) when HttpMethods.IsPost(method) => store.Create(route, json),
            ({ }, null) when HttpMethods.IsPut(method) => store.Replace(route, json),
            ({ }, "status") when HttpMethods.IsPut(method) => store.ReplaceStatus(route, json),
            ({ }, "status") when HttpMethods.IsPatch(method) => store.PatchStatus(route, json),
            _ => InMemoryResponse.MethodNotAllowed(),
        };
    }

    /// <summary>
    /// Streams the changes after the requested resourceVersion as newline-delimited JSON and keeps the response open
    /// for new ones, until the client leaves, <c>timeoutSeconds</c> passes, the kind is removed or the server stops;
    /// closes the connection mid-body when the watch is dropped or a fault says so.
    /// </summary>
    private async Task WatchAsync(HttpContext context, InMemoryRoute route, InMemoryLabelSelector selector)
    {
        var query = context.Request.Query;
        var from = query["resourceVersion"].ToString();
        long? after = null;
        if (from is not ("" or "0"))
        {
            if (!long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var resourceVersion))
            {
                await WriteAsync(context.Response, InMemoryResponse.BadRequest($"invalid resourceVersion {from}"), context.RequestAborted);
                return;
            }

            after = resourceVersion;
        }

        var watch = store.Watch(route, selector, after);
        if (watch is null)
        {
            await WriteAsync(context.Response, InMemoryResponse.NoSuchResource(), context.RequestAborted);
            return;
        }

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            end.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        var dropped = false;
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";

            // Chunked by hand on a connection that closes after the watch, so a dropped watch is a body without its
            // last chunk and Kestrel still sends every event before the FIN (its Abort loses what it has buffered).
            context.Response.Headers.TransferEncoding = "chunked";
            context.Response.Headers.Connection = "close";

            // Headers go out at once: the client's watch call waits for them.
            await context.Response.StartAsync(end.Token);
            var streamed = 0;
            dropped = faults.MustDrop(route.Kind.Plural, streamed);
            while (!dropped && await watch.Lines.WaitToReadAsync(end.Token))
            {
                while (!dropped && watch.Lines.TryRead(out var line))
                {
                    dropped = watch.Dropped || faults.MustDrop(route.Kind.Plural, streamed);
                    if (!dropped)
                    {
                        await WriteChunkAsync(context.Response, line + "\n", end.Token);
                        streamed++;
                    }
                }
            }

            dropped |= watch.Dropped;
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client left, the watch timed out or the server is stopping: the response just ends.
        }
        finally
        {
            store.Unwatch(watch);
        }

        if (!dropped)
        {
            await WriteChunkAsync(context.Response, string.Empty, CancellationToken.None);
        }
    }

    /// <summary>One chunk of a chunked body; an empty one is the last.</summary>
    private static async Task WriteChunkAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"{Encoding.UTF8.GetByteCount(text):X}\r\n{text}\r\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, InMemoryResponse answer, CancellationToken cancellationToken)
    {
        response.StatusCode = answer.StatusCode;
        response.ContentType = "application/json";
        await response.WriteAsync(answer.Json, cancellationToken);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : null;
    }
}
