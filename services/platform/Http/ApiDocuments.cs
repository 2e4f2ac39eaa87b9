using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Dit.Platform.Http;

/// <summary>
/// Each service's OpenAPI document, <c>/openapi/{service}.json</c>: its endpoints (those with its group name), the
/// API-key security scheme, and the scheme required on every endpoint that needs a key.
/// </summary>
public static class ApiDocuments
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services, string service, string title, string description) =>
        services.AddOpenApi(service, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = title;
                document.Info.Description = description;
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthentication.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "Authorization",
                    Description = "'Authorization: ApiKey <key>'. Keys are made with each service's `keys add` command and shown once.",
                };
                document.Components.SecuritySchemes[StaffTokens.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A person's access token from the provider set in Identity:Authority, carrying their roles (docs/security.md).",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var provider = (System.Reflection.ICustomAttributeProvider?)context.JsonPropertyInfo?.AttributeProvider
                    ?? (context.ParameterDescription?.ParameterDescriptor as Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor)?.ParameterInfo;
                if (provider?.GetCustomAttributes(typeof(DateTextAttribute), false).FirstOrDefault() is not DateTextAttribute date) return Task.CompletedTask;
                // A wall-clock time without an offset is not RFC 3339's date-time: its own format name, so no client sends an offset.
                schema.Format = date.WithTime ? "local-date-time" : "date";
                schema.Description = date.Description;
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // Every rule on the endpoint must hold: a policy named for a role, or a set of roles (any one of them).
                var rules = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                    .Select(a => a.Roles?.Split(',') ?? (a.Policy == ApiKeyAuthentication.AnyStaff ? [.. StaffTokens.StaffRoles] : [a.Policy!])).ToList();
                if (rules.Count == 0) return Task.CompletedTask;
                var roles = rules.Aggregate((all, rule) => [.. all.Intersect(rule)]);
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.Scheme, context.Document)] = [],
                });
                var staff = roles.Where(StaffTokens.StaffRoles.Contains).ToList();
                if (staff.Count > 0)
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(StaffTokens.Scheme, context.Document)] = [] });
                var needs = staff.Count > 0 ? $"Needs the {string.Join(" or ", roles)} role: a staff token or a personal key that carries it, or a key of that role." : $"Needs a {string.Join(" or ", roles)} key.";
                operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}{needs}";
                return Task.CompletedTask;
            });
        });
}
