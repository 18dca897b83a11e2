/**
 * Preset deflate dictionary for share links: the JSON keys and words every link repeats, so a
 * two-ladder link fits in well under 2,000 characters. PART OF LINK FORMAT 1: never edit this
 * text; a new dictionary needs a new format version (and this one kept for old links).
 */
import { strToU8 } from 'fflate';

const TEXT_V1 =
  ' the client the server sent its FIN and a RST RST after close. acknowledged it ms later, closed first, harmless' +
  ' firewall had already torn the connection down on the FINs, denied as "no connection" TCP FINs from INSIDE OUTSIDE' +
  ' SO_LINGER unread data close_notify TLS 1.2 TLS 1.3 alert seen, probably close_notify retransmission duplicate-ack' +
  ' zero-window keep-alive previous-segment-not-captured rst-after-close fin-rst-together data-after-fin' +
  '{"state":"ESTABLISHED","packet":{"state":"FIN_WAIT_1","packet":{"state":"FIN_WAIT_2","packet":{"state":"TIME_WAIT","packet":' +
  '{"state":"CLOSE_WAIT","packet":{"state":"LAST_ACK","packet":{"state":"CLOSING","packet":{"state":"CLOSED","packet":' +
  '"tls":null,"explanation":"' +
  '"firewall":{"device":"","connId":"","built":"","teardown":{"time":"","reason":"TCP FINs","from":"INSIDE"},"denies":[{"time":"","flags":"RST","interface":"INSIDE","src":{"ip":"","port":443},"dst":{"ip":"","port":' +
  '"afterTeardownMs":"messageId":"106015"}],"mapped":{"client":{"ip":"","port":' +
  '"vantage":{"points":["inside","outside"],"dropped":[{"packet":"seenAt":"missingAt":' +
  '{"connection":{"id":"","files":["","source":"packets","client":{"ip":"","port":},"server":{"ip":"","port":443},"clientBy":"syn",' +
  '"start":"2018-06-20T12:00:47.","end":"","packets":{"client":,"server":},"payloadBytes":{"client":,"server":},"handshake":"complete",' +
  '"close":{"fin":{"client":true,"server":true},"rst":{"client":false,"server":false},"initiator":"client","kind":"clean",' +
  '"simultaneous":false,"finRstTogether":false,"lateRst":false,"dataAfterFin":false,"zeekState":"SF","history":"ShADadFf",' +
  '"states":{"client":[{"state":"ESTABLISHED","packet":2}],"server":[{"state":"ESTABLISHED","packet":2}]},"anomalies":[{"packet":"kind":"' +
  '"t0Us":"totalPackets":"packets":[[0,1,17,1,1,0,65535,0,[0,0,16,1,1,0,65535,0,[0,1,4,1,1,0,0,0,' +
  '{"timeMode":"proportional","focus":"close","labels":{"flags":true,"seq":true,"length":true,"window":false}}';

export const SHARE_DICTIONARY_V1 = strToU8(TEXT_V1);
