#include <gtest/gtest.h>

#include "model/redact.h"

namespace proctrace {
namespace {

std::vector<std::string> redacted(std::vector<std::string> argv) {
  redact_argv(argv);
  return argv;
}
using Argv = std::vector<std::string>;

TEST(Redact, OptionsNamedLikeSecretsLoseTheirValues) {
  EXPECT_EQ(redacted({"tool", "--password=hunter2", "--token", "abc123", "--api-key=k", "--client-secret", "s"}),
            (Argv{"tool", "--password=***", "--token", "***", "--api-key=***", "--client-secret", "***"}));
  EXPECT_EQ(redacted({"java", "-Djavax.net.ssl.keyStorePassword=pw", "-jar", "x.jar"}),
            (Argv{"java", "-Djavax.net.ssl.keyStorePassword=***", "-jar", "x.jar"}));
  // Switches and look-alikes keep their neighbours.
  EXPECT_EQ(redacted({"git", "commit", "--author", "Ann <a@b>", "--no-auth", "x"}),
            (Argv{"git", "commit", "--author", "Ann <a@b>", "--no-auth", "x"}));
  EXPECT_EQ(redacted({"tool", "--token", "--verbose"}), (Argv{"tool", "--token", "--verbose"}));
  EXPECT_EQ(redacted({"rsync", "--bypass-cache", "x", "--passthrough", "y"}),
            (Argv{"rsync", "--bypass-cache", "x", "--passthrough", "y"}));
}

TEST(Redact, MysqlLikePasswordsAttachedToDashP) {
  EXPECT_EQ(redacted({"/usr/bin/mysql", "-uroot", "-ps3cret", "db"}), (Argv{"/usr/bin/mysql", "-uroot", "-p***", "db"}));
  EXPECT_EQ(redacted({"mysqldump", "-p", "db"}), (Argv{"mysqldump", "-p", "db"}));  // prompts: no secret here
  EXPECT_EQ(redacted({"ssh", "-p2222", "host"}), (Argv{"ssh", "-p2222", "host"}));   // a port elsewhere
  EXPECT_EQ(redacted({"sshpass", "-p", "pw", "ssh", "h"}), (Argv{"sshpass", "-p", "***", "ssh", "h"}));
}

TEST(Redact, SecretNamedVariables) {
  EXPECT_EQ(redacted({"env", "GITHUB_TOKEN=abc", "DB_PASSWORD=x", "AWS_SECRET_ACCESS_KEY=y", "DEPLOY_KEY=z",
                      "api_key=w", "MY_AUTH=v", "GCP_CREDENTIALS=u", "PATH=/bin", "KEYBOARD=us", "make"}),
            (Argv{"env", "GITHUB_TOKEN=***", "DB_PASSWORD=***", "AWS_SECRET_ACCESS_KEY=***", "DEPLOY_KEY=***",
                  "api_key=***", "MY_AUTH=***", "GCP_CREDENTIALS=***", "PATH=/bin", "KEYBOARD=us", "make"}));
  EXPECT_EQ(redacted({"docker", "run", "-e", "NPM_TOKEN=t", "img"}), (Argv{"docker", "run", "-e", "NPM_TOKEN=***", "img"}));
}

TEST(Redact, UrlPasswords) {
  EXPECT_EQ(redacted({"git", "clone", "https://bot:p4ss@example.com/r.git"}),
            (Argv{"git", "clone", "https://bot:***@example.com/r.git"}));
  EXPECT_EQ(redacted({"psql", "postgres://u:pw@db:5432/x?sslmode=require"}),
            (Argv{"psql", "postgres://u:***@db:5432/x?sslmode=require"}));
  EXPECT_EQ(redacted({"curl", "https://example.com:8443/a@b"}), (Argv{"curl", "https://example.com:8443/a@b"}));
}

TEST(Redact, AuthorizationHeaders) {
  EXPECT_EQ(redacted({"curl", "-H", "Authorization: Bearer eyX.abc", "-H", "Accept: a/b", "u"}),
            (Argv{"curl", "-H", "Authorization: Bearer ***", "-H", "Accept: a/b", "u"}));
  EXPECT_EQ(redacted({"curl", "-H", "PRIVATE-TOKEN: glx", "--header=X-Api-Key: k1"}),
            (Argv{"curl", "-H", "PRIVATE-TOKEN: ***", "--header=X-Api-Key: ***"}));
  EXPECT_EQ(redacted({"wget", "--header", "authorization: Basic dXNlcjpwYXNz"}),
            (Argv{"wget", "--header", "authorization: Basic ***"}));
}

TEST(Redact, KnownTokenFormatsAnywhere) {
  const std::string ghp = "ghp_" + std::string(36, 'a');
  const std::string pat = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(redacted({"gh", "auth", ghp}), (Argv{"gh", "auth", "ghp_***"}));
  EXPECT_EQ(redacted({"x", "--header=" + pat}), (Argv{"x", "--header=github_pat_***"}));
  EXPECT_EQ(redacted({"aws", "AKIAIOSFODNN7EXAMPLE"}), (Argv{"aws", "AKIA***"}));
  EXPECT_EQ(redacted({"slack", "xoxb-1234567890-abcdef"}), (Argv{"slack", "xoxb-***"}));
  EXPECT_EQ(redacted({"x", "glpat-abcdefghij0123456789"}), (Argv{"x", "glpat-***"}));
  EXPECT_EQ(redacted({"x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU"}), (Argv{"x", "***"}));
  // Hashes and look-alikes stay.
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  EXPECT_EQ(redacted({"git", "checkout", sha, "AKIA", "xghp_" + std::string(36, 'a')}),
            (Argv{"git", "checkout", sha, "AKIA", "xghp_" + std::string(36, 'a')}));
}

TEST(Redact, ScriptsAreRedactedWordByWord) {
  EXPECT_EQ(redacted({"sh", "-c", "mysql -pS3cret db && curl -H 'Authorization: Bearer t0k' --token=\"abc\" "
                                  "https://u:pw@h/ && TOKEN=x make"}),
            (Argv{"sh", "-c", "mysql -p*** db && curl -H 'Authorization: Bearer ***' --token=\"***\" "
                              "https://u:***@h/ && TOKEN=*** make"}));
  EXPECT_EQ(redacted({"bash", "-c", "deploy --password  hunter2\n"}), (Argv{"bash", "-c", "deploy --password  ***\n"}));
}

TEST(Redact, RedactingTwiceChangesNothing) {
  Argv argv{"sh", "-c", "curl -H 'Authorization: Bearer x' --password y", "--token", "z", "K_TOKEN=v"};
  EXPECT_TRUE(redact_argv(argv));
  Argv again = argv;
  EXPECT_FALSE(redact_argv(again));
  EXPECT_EQ(again, argv);
}

}  // namespace
}  // namespace proctrace
