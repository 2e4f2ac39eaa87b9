using Dit.Platform.Messaging;
using Microsoft.AspNetCore.Builder;

namespace Dit.Platform.Hosting;

/// <summary>
/// A service's executable: <c>keys …</c> manages its API keys, <c>audit verify</c> checks its audit trail, <c>errors …</c> its error queues, and with no command it
/// runs the service.
/// </summary>
public static class ServiceHost
{
    public static async Task<int> RunAsync(string[] args, string processName, ServiceDefinition service)
    {
        if (args is ["keys", .. var keyArguments])
            return await service.RunKeysAsync(WebApplication.CreateBuilder().Configuration, keyArguments, Console.Out);
        if (args is ["audit", .. var auditArguments])
            return await service.RunAuditAsync(WebApplication.CreateBuilder().Configuration, auditArguments, Console.Out);
        if (args is ["errors", .. var errorArguments])
            return await ErrorQueuesCommand.RunAsync(WebApplication.CreateBuilder().Configuration, service.Assembly, errorArguments, Console.Out);

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(processName, service);
        var app = builder.Build();
        app.MapServiceDefaults();
        await app.RunAsync();
        return 0;
    }
}
