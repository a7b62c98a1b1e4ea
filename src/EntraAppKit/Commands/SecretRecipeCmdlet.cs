using System.Management.Automation;
using EntraAppKit.Model;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>Recipe cmdlets whose app gets a client secret: the secret's parameters, declared once.</summary>
    public abstract class SecretRecipeCmdlet<TOutput> : RecipeCmdlet<TOutput> where TOutput : AppRegistrationOutput
    {
        /// <summary>Client secret lifetime in months (1–24; Microsoft recommends less than 12).</summary>
        [Parameter]
        [ValidateRange(ClientSecretLifetime.MinMonths, ClientSecretLifetime.MaxMonths)]
        public int SecretLifetimeMonths { get; set; } = ClientSecretLifetime.DefaultMonths;

        /// <summary>Add a new client secret even if the app already has one (existing secrets are kept).</summary>
        [Parameter]
        public SwitchParameter NewSecret { get; set; }

        /// <summary>Return the client secret as plain text instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override int? SecretLifetime => SecretLifetimeMonths;
        protected override bool AddNewSecret => NewSecret;
        protected override bool SecretAsPlainText => AsPlainText;
    }
}
