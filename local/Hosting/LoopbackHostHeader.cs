namespace Serverless.Local.Hosting;

/// <summary>
/// DNS rebinding guard: a page on another site can make a browser resolve its own name to 127.0.0.1 and call the
/// local host; the browser then still sends that site's name in <c>Host</c>. Only <c>localhost</c>,
/// <c>127.0.0.1</c> and <c>[::1]</c> with the port the request arrived on are accepted; anything else gets 400.
/// </summary>
public static class LoopbackHostHeader
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    public static bool IsAllowed(HostString host, int localPort)
    {
        if (!host.HasValue || !LoopbackNames.Contains(host.Host, StringComparer.OrdinalIgnoreCase)) return false;
        return (host.Port ?? 80) == localPort;
    }

    public static IApplicationBuilder UseLoopbackHostHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (IsAllowed(context.Request.Host, context.Connection.LocalPort)) return next(context);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Results.Problem(
                $"Host '{context.Request.Host}' is not this local host: use localhost, 127.0.0.1 or [::1] with port {context.Connection.LocalPort}.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad Request").ExecuteAsync(context);
        });
}
