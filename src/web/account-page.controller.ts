import { contextOf } from '../common/request-context.js';
import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../accounts/account.errors.js';
import { WeakPasswordError } from '../passwords/password.errors.js';
import { AccountService } from '../accounts/account.service.js';
import { codeNotSentWords } from '../accounts/accounts.messages.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { EmailChangeService } from '../accounts/email-change.service.js';
import type { Proof } from '../accounts/proofs.service.js';
import { type CurrentSession, SessionsService } from '../accounts/sessions/sessions.service.js';
import { emailRefusal } from '../common/validation/email-address.js';
import { words, type Words } from '../common/words.js';
import { supportedOrNull } from '../i18n/negotiation.js';
import { Environment } from '../config/environment.js';
import { secureCookies } from '../config/secure-cookies.js';
import { RateLimit } from '../rate-limit/rate-limit.guard.js';
import { CsrfGuard } from './csrf.guard.js';
import { CsrfService } from './csrf.service.js';
import { type Flash, setFlash, takeFlash } from './flash.js';
import { setLangCookie } from './page-locale.hook.js';
import { PageSessions } from './page-sessions.service.js';
import { clearSessionCookie } from './session-cookie.js';

type Form = Record<string, unknown> | undefined;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
/** The password if one was typed, else the code. */
const proofOf = (form: Form): Proof =>
  text(form?.password) !== '' ? { password: text(form?.password) } : { code: text(form?.code) || undefined };

/** The signed-in person's page: sessions, password, address, sign out everywhere, deletion (signing out is the header's). */
@ApiExcludeController()
@Controller('account')
export class AccountPageController {
  constructor(
    private readonly account: AccountService,
    private readonly sessions: SessionsService,
    private readonly emailChanges: EmailChangeService,
    private readonly signIns: SignInService,
    private readonly csrf: CsrfService,
    private readonly env: Environment,
    private readonly pageSessions: PageSessions,
  ) {}

  @Get()
  async page(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (session) await this.render(req, reply, session, 200, { flash: takeFlash(req, reply) });
  }

  @Post('password')
  @UseGuards(CsrfGuard)
  async changePassword(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    const proof = { currentPassword: text(form?.currentPassword) || undefined, code: text(form?.code) || undefined };
    await this.attempt(req, reply, session, 'passwordErrors', async () => {
      const how = await this.account.changePassword(session, proof, text(form?.newPassword), contextOf(req));
      return words(how === 'set' ? 'flash.passwordSet' : 'flash.passwordChanged');
    });
  }

  @Post('email')
  @RateLimit('email-change')
  @UseGuards(CsrfGuard)
  async changeEmail(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    const problem = emailRefusal(form?.email);
    if (problem) return this.render(req, reply, session, 400, { emailErrors: { email: problem.words }, newEmail: text(form?.email) });
    await this.attempt(
      req,
      reply,
      session,
      'emailErrors',
      async () =>
        (await this.emailChanges.request(session, text(form?.email), proofOf(form), contextOf(req)))
          ? words('flash.emailChange')
          : words('flash.sameAddress'),
      { newEmail: text(form?.email) },
    );
  }

  @Post('code')
  @RateLimit('sign-in-code')
  @UseGuards(CsrfGuard)
  async emailCode(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    const user = await this.account.user(session);
    const grant = await this.signIns.emailCode(user, contextOf(req));
    const flash: Flash = grant.granted
      ? { type: 'success', ...words('flash.codeSent', { email: user.email }) }
      : { type: 'info', ...codeNotSentWords(grant) };
    setFlash(reply, flash, secureCookies(this.env));
    void reply.redirect('/account', 303);
  }

  @Post('sessions/revoke')
  @UseGuards(CsrfGuard)
  async signOutEverywhere(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    await this.sessions.revokeOthers(session);
    await this.sessions.revoke(session.id);
    this.leave(reply, words('flash.signedOutEverywhere'));
  }

  @Post('delete')
  @UseGuards(CsrfGuard)
  async delete(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    try {
      await this.account.delete(session, proofOf(form), contextOf(req));
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return this.render(req, reply, session, error.status, { deleteErrors: { proof: error.words } });
    }
    this.leave(reply, words('flash.accountDeleted'));
  }

  /** The language of the account's pages and emails (PATCH /api/me {locale} does the same); the page follows it. */
  @Post('language')
  @UseGuards(CsrfGuard)
  async changeLanguage(@Body() form: Form, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.session(req, reply);
    if (!session) return;
    const locale = supportedOrNull(form?.locale, this.env.SUPPORTED_LOCALES);
    if (!locale) return this.render(req, reply, session, 400, {});
    await this.account.changeLocale(session, locale);
    setLangCookie(reply, this.env, locale);
    setFlash(reply, { type: 'success', key: 'flash.languageSaved' }, secureCookies(this.env));
    void reply.redirect('/account', 303);
  }

  /** The cookie's live session, or a redirect to the sign-in page (and null). */
  private async session(req: FastifyRequest, reply: FastifyReply): Promise<CurrentSession | null> {
    const signedIn = await this.pageSessions.of(req);
    if (signedIn) return signedIn.session;
    clearSessionCookie(reply, this.env);
    void reply.redirect('/sign-in', 303);
    return null;
  }

  /**
   * Runs a change: on success back to the page with a message; a refusal shows on the page, next
   * to its form (`typed`: what the person typed, shown again): a wrong proof at the proof's field,
   * "nothing was sent" above the form, with its wait.
   */
  private async attempt(
    req: FastifyRequest,
    reply: FastifyReply,
    session: CurrentSession,
    errorsOf: string,
    change: () => Promise<Words>,
    typed: Record<string, string> = {},
  ): Promise<void> {
    let done: Words;
    try {
      done = await change();
    } catch (error) {
      if (error instanceof WeakPasswordError)
        return this.render(req, reply, session, error.status, { ...typed, [errorsOf]: { newPassword: error.words } });
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'not_signed_in') return void reply.redirect('/sign-in', 303);
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      const field = error.code === 'too_soon' ? 'notSent' : 'proof';
      return this.render(req, reply, session, error.status, { ...typed, [errorsOf]: { [field]: error.words } });
    }
    setFlash(reply, { type: 'success', ...done }, secureCookies(this.env));
    void reply.redirect('/account', 303);
  }

  private leave(reply: FastifyReply, message: Words): void {
    clearSessionCookie(reply, this.env);
    setFlash(reply, { type: 'info', ...message }, secureCookies(this.env));
    void reply.redirect('/sign-in', 303);
  }

  private async render(
    req: FastifyRequest,
    reply: FastifyReply,
    session: CurrentSession,
    status: number,
    context: { flash?: Flash } & Record<string, unknown>,
  ): Promise<void> {
    const [profile, sessions] = await Promise.all([this.account.profile(session), this.sessions.list(session.userId)]);
    await reply.status(status).view('account', {
      titleKey: 'title.account',
      profile,
      sessions: sessions.map((s) => ({ ...s, current: s.id === session.id })),
      ...context,
      csrfToken: this.csrf.tokenFor(req, reply),
    });
  }
}
