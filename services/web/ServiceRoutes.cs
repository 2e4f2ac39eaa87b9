using Dit.Platform;
using Yarp.ReverseProxy.Configuration;

namespace Dit.Web;

/// <summary>
/// <c>Web:Services</c>: where the front end's own process (the Compose stack, a deployment) forwards the pages' API calls
/// — each service's base address. The routes follow the services' OpenAPI documents: referrals and notifications own
/// their paths (referrals also its referrer keys and a therapist's patients' names) and audit trails, scheduling everything else under <c>/api</c>.
/// </summary>
public sealed class ServiceRoutes
{
    public const string Section = "Web:Services";

    [AbsoluteUrl("http", "https")]
    public string Referrals { get; set; } = "http://referrals:8080";

    [AbsoluteUrl("http", "https")]
    public string Scheduling { get; set; } = "http://scheduling:8080";

    [AbsoluteUrl("http", "https")]
    public string Notifications { get; set; } = "http://notifications:8080";

    public IReadOnlyList<RouteConfig> Routes =>
    [
        Route("referrals", "/api/referrals/{**rest}"),
        Route("referrals", "/api/audit/referrals"),
        Route("referrals", "/api/referrer-keys/{**rest}"),
        Route("referrals", "/api/me/patients"),
        Route("notifications", "/api/messages/{**rest}"),
        Route("notifications", "/api/calendar-feeds/{**rest}"),
        Route("notifications", "/api/audit/notifications"),
        Route("scheduling", "/api/{**rest}", order: 1),
    ];

    public IReadOnlyList<ClusterConfig> Clusters =>
    [
        Cluster("referrals", Referrals),
        Cluster("scheduling", Scheduling),
        Cluster("notifications", Notifications),
    ];

    private static RouteConfig Route(string cluster, string path, int order = 0) => new()
    {
        RouteId = $"{cluster}:{path}", ClusterId = cluster, Order = order, Match = new RouteMatch { Path = path },
    };

    private static ClusterConfig Cluster(string id, string address) => new()
    {
        ClusterId = id, Destinations = new Dictionary<string, DestinationConfig> { ["service"] = new() { Address = address } },
    };
}
