/**
 * {@link dev.coffer.kms.endpoint.KmsEndpoint}: a local HTTP endpoint that speaks the AWS KMS JSON
 * protocol with SigV4 authentication, backed by Coffer's key ring, for tests of code that uses AWS
 * KMS (through Coffer's {@code aws-kms} provider, the AWS SDKs or the AWS CLI) and for {@code
 * coffer kms serve}. Part of the {@code coffer-server} artifact (it was in {@code
 * coffer-kms-provider-aws} until that artifact kept only the {@code aws-kms:} provider); the
 * package name is unchanged.
 */
package dev.coffer.kms.endpoint;
