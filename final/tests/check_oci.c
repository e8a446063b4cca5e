/* check_oci.c - config.json into the container description (oci_config.c,
 * oci_linux.c).  JSON is written with ' for " to stay readable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "oci_config.h"
#include "tests.h"

/* The text with every ' turned into ". */
static char *json(const char *text)
{
	char *s = strdup(text);

	ck_assert_ptr_nonnull(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static int parse(const char *text, struct container *c, struct err *e)
{
	char *s = json(text);
	int r = oci_config_parse(s, "/bundle", c, e);

	free(s);
	return r;
}

#define PROC "'process':{'args':['sh'],'cwd':'/','user':{'uid':0,'gid':0}}"
#define MINIMAL "{'ociVersion':'1.0.2','root':{'path':'rootfs'}," PROC "}"

START_TEST(minimal_config_fills_the_description)
{
	struct container c;
	struct err e = { 0 };

	ck_assert_int_eq(parse(MINIMAL, &c, &e), 0);
	ck_assert_str_eq(c.root.path, "/bundle/rootfs");
	ck_assert_str_eq(c.process.argv[0], "sh");
	ck_assert_ptr_null(c.process.argv[1]);
	ck_assert_ptr_nonnull(c.process.env);
	ck_assert_ptr_null(c.process.env[0]);
	ck_assert_str_eq(c.process.cwd, "/");
	ck_assert_uint_eq(c.process.umask, 022);
	ck_assert(!c.process.no_new_privs);
	ck_assert(!c.process.terminal);
	ck_assert_uint_eq(c.process.caps.bounding, 0);
	for (int i = 0; i < NS_COUNT; i++)
		ck_assert(!c.namespaces[i].create && !c.namespaces[i].path);
	ck_assert_int_eq(c.net.mode, NETWORK_HOST);
	ck_assert_uint_eq(c.n_mounts, 0);
	ck_assert_ptr_null(c.masked_paths);
	ck_assert(!c.seccomp.enabled);
	container_free(&c);
}
END_TEST

static const char full[] =
	"{'ociVersion':'1.0.2-dev','hostname':'box',"
	" 'annotations':{'org.example.key':'value'},"
	" 'root':{'path':'/abs/rootfs','readonly':true},"
	" 'process':{'terminal':true,'consoleSize':{'height':24,'width':80},"
	"  'user':{'uid':1000,'gid':100,'umask':63,'additionalGids':[5,6]},"
	"  'args':['/bin/sh','-c','true'],'env':['PATH=/bin','TERM=xterm'],"
	"  'cwd':'/home','noNewPrivileges':true,'oomScoreAdj':100,"
	"  'capabilities':{'bounding':['CAP_CHOWN','CAP_KILL'],'effective':['CAP_KILL'],"
	"   'permitted':['CAP_KILL'],'inheritable':[],'ambient':['CAP_KILL']},"
	"  'rlimits':[{'type':'RLIMIT_NOFILE','hard':1024,'soft':512}]},"
	" 'mounts':["
	"  {'destination':'/proc','type':'proc','source':'proc'},"
	"  {'destination':'/dev','type':'tmpfs','source':'tmpfs','options':['nosuid','strictatime','mode=755','size=65536k']},"
	"  {'destination':'/data','type':'bind','source':'data','options':['rbind','ro','nosuid','rslave']},"
	"  {'destination':'/tmp','type':'tmpfs','source':'tmpfs','options':['nodev','noexec','size=1m','rw']},"
	"  {'destination':'/sys/fs/cgroup','type':'cgroup','source':'cgroup','options':['ro','relatime']}],"
	" 'hooks':{'prestart':[{'path':'/bin/hook','args':['hook','x'],'env':['A=1'],'timeout':5}],"
	"  'poststop':[{'path':'/bin/stop'}]},"
	" 'linux':{'namespaces':[{'type':'user'},{'type':'pid'},{'type':'uts'},{'type':'ipc'},"
	"   {'type':'mount'},{'type':'cgroup'},{'type':'network','path':'/proc/1/ns/net'}],"
	"  'uidMappings':[{'containerID':0,'hostID':1000,'size':1},{'containerID':1,'hostID':100000,'size':65536}],"
	"  'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
	"  'cgroupsPath':'/mvrc/box',"
	"  'devices':[{'path':'/dev/null','type':'c','major':1,'minor':3}],"
	"  'resources':{'devices':[{'allow':false,'access':'rwm'}],'memory':{'limit':67108864},"
	"   'pids':{'limit':32},'cpu':{'quota':50000,'period':100000,'shares':512}},"
	"  'sysctl':{'net.ipv4.ip_forward':'1','kernel.shmmax':'65536'},"
	"  'maskedPaths':['/proc/kcore'],'readonlyPaths':['/proc/sys'],"
	"  'rootfsPropagation':'rslave',"
	"  'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
	"   'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86'],'flags':['SECCOMP_FILTER_FLAG_LOG'],"
	"   'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
	"    {'names':['personality'],'action':'SCMP_ACT_ALLOW',"
	"     'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'},{'index':1,'value':255,'valueTwo':4,'op':'SCMP_CMP_MASKED_EQ'}]},"
	"    {'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':95}]}}}";

START_TEST(full_config_fills_every_field)
{
	const struct process *p;
	struct container c;
	struct err e = { 0 };

	ck_assert_msg(parse(full, &c, &e) == 0, "%s", e.what);
	p = &c.process;
	ck_assert_str_eq(c.hostname, "box");
	ck_assert_str_eq(c.annotations[0], "org.example.key=value");
	ck_assert_str_eq(c.root.path, "/abs/rootfs");
	ck_assert(c.root.readonly);
	ck_assert(p->terminal);
	ck_assert_uint_eq(p->console_rows, 24);
	ck_assert_uint_eq(p->console_cols, 80);
	ck_assert_uint_eq(p->uid, 1000);
	ck_assert_uint_eq(p->gid, 100);
	ck_assert_uint_eq(p->umask, 077);
	ck_assert_uint_eq(p->n_additional_gids, 2);
	ck_assert_uint_eq(p->additional_gids[1], 6);
	ck_assert_str_eq(p->argv[2], "true");
	ck_assert_str_eq(p->env[1], "TERM=xterm");
	ck_assert_str_eq(p->cwd, "/home");
	ck_assert(p->no_new_privs);
	ck_assert(c.has_oom_score_adj);
	ck_assert_int_eq(c.oom_score_adj, 100);
	ck_assert_uint_eq(p->caps.bounding, (1u << 0) | (1u << 5));
	ck_assert_uint_eq(p->caps.effective, 1u << 5);
	ck_assert_uint_eq(p->caps.ambient, 1u << 5);
	ck_assert_uint_eq(p->caps.inheritable, 1u << 5);   /* ambient implies it */
	ck_assert_uint_eq(p->n_rlimits, 1);
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(p->rlimits[0].soft, 512);
	ck_assert_uint_eq(p->rlimits[0].hard, 1024);
	/* /proc and /dev are mvrc's own: three mounts remain */
	ck_assert_uint_eq(c.n_mounts, 3);
	ck_assert_str_eq(c.mounts[0].destination, "/data");
	ck_assert_str_eq(c.mounts[0].type, "bind");
	ck_assert_str_eq(c.mounts[0].source, "/bundle/data");
	ck_assert_uint_eq(c.mounts[0].flags, MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID);
	ck_assert_uint_eq(c.mounts[0].propagation, MS_SLAVE | MS_REC);
	ck_assert_str_eq(c.mounts[1].type, "tmpfs");
	ck_assert_uint_eq(c.mounts[1].flags, MS_NODEV | MS_NOEXEC);
	ck_assert_str_eq(c.mounts[1].data, "size=1m");
	ck_assert_str_eq(c.mounts[2].type, "cgroup2");
	ck_assert_uint_eq(c.mounts[2].flags, MS_RDONLY | MS_RELATIME);
	ck_assert_str_eq(c.hooks[HOOK_PRESTART].hooks[0].path, "/bin/hook");
	ck_assert_str_eq(c.hooks[HOOK_PRESTART].hooks[0].args[1], "x");
	ck_assert_str_eq(c.hooks[HOOK_PRESTART].hooks[0].env[0], "A=1");
	ck_assert_int_eq(c.hooks[HOOK_PRESTART].hooks[0].timeout, 5);
	ck_assert_uint_eq(c.hooks[HOOK_POSTSTOP].n, 1);
	ck_assert_uint_eq(c.hooks[HOOK_POSTSTART].n, 0);
	for (int i = 0; i < NS_COUNT; i++)
		ck_assert(i == NS_NET ? !c.namespaces[i].create : c.namespaces[i].create);
	ck_assert_str_eq(c.namespaces[NS_NET].path, "/proc/1/ns/net");
	ck_assert_int_eq(c.net.mode, NETWORK_HOST);
	ck_assert_uint_eq(c.ids.n_uid, 2);
	ck_assert_uint_eq(c.ids.uid[1].outside, 100000);
	ck_assert_uint_eq(c.ids.uid[1].count, 65536);
	ck_assert_uint_eq(c.ids.n_gid, 1);
	ck_assert_int_eq(c.resources.memory, 67108864);
	ck_assert_int_eq(c.resources.pids, 32);
	ck_assert_int_eq(c.resources.cpu_quota, 50000);
	ck_assert_uint_eq(c.resources.cpu_period, 100000);
	ck_assert_uint_eq(c.resources.cpu_shares, 512);
	ck_assert_str_eq(c.sysctl[0], "net.ipv4.ip_forward=1");
	ck_assert_str_eq(c.sysctl[1], "kernel.shmmax=65536");
	ck_assert_str_eq(c.masked_paths[0], "/proc/kcore");
	ck_assert_ptr_null(c.masked_paths[1]);
	ck_assert_str_eq(c.readonly_paths[0], "/proc/sys");
	ck_assert_uint_eq(c.rootfs_propagation, MS_SLAVE | MS_REC);
	ck_assert(c.seccomp.enabled);
	ck_assert_int_eq(c.seccomp.default_action, FILTER_ERRNO);
	ck_assert_int_eq(c.seccomp.default_errno, 38);
	ck_assert_str_eq(c.seccomp.architectures[0], "x86_64");
	ck_assert_str_eq(c.seccomp.architectures[1], "x86");
	ck_assert_uint_eq(c.seccomp.flags, FILTER_FLAG_LOG);
	ck_assert_uint_eq(c.seccomp.n_rules, 3);
	ck_assert_str_eq(c.seccomp.rules[0].names[1], "write");
	ck_assert_int_eq(c.seccomp.rules[0].action, FILTER_ALLOW);
	ck_assert_uint_eq(c.seccomp.rules[1].n_args, 2);
	ck_assert_int_eq(c.seccomp.rules[1].args[1].op, FILTER_MASKED_EQ);
	ck_assert_uint_eq(c.seccomp.rules[1].args[1].value, 255);
	ck_assert_uint_eq(c.seccomp.rules[1].args[1].value_two, 4);
	ck_assert_int_eq(c.seccomp.rules[2].errno_ret, 95);
	container_free(&c);
}
END_TEST

START_TEST(unknown_properties_are_ignored_as_the_spec_requires)
{
	struct container c;
	struct err e = { 0 };

	ck_assert_int_eq(parse("{'ociVersion':'1.1.0','root':{'path':'r'},'futureField':{'x':1},"
			       "'linux':{'futureLinuxField':true}," PROC "}", &c, &e), 0);
	container_free(&c);
}
END_TEST

START_TEST(empty_unsupported_fields_ask_for_nothing)
{
	struct container c;
	struct err e = { 0 };

	ck_assert_msg(parse("{'ociVersion':'1.0.0','root':{'path':'r'},'domainname':'',"
			    "'linux':{'intelRdt':null,'resources':{'blockIO':{}},'mountLabel':''},"
			    "'process':{'args':['sh'],'cwd':'/','user':{'uid':0,'gid':0},"
			    "'apparmorProfile':'','selinuxLabel':''}}", &c, &e) == 0, "%s", e.what);
	container_free(&c);
}
END_TEST

/* ---- one bad input per test -------------------------------------------- */

#define P(extra) "{'ociVersion':'1.0.2','root':{'path':'r'},'process':" \
	"{'args':['sh'],'cwd':'/','user':{'uid':0,'gid':0}" extra "}}"
#define L(extra) "{'ociVersion':'1.0.2','root':{'path':'r'}," PROC ",'linux':{" extra "}}"
#define T(extra) "{'ociVersion':'1.0.2','root':{'path':'r'}," PROC "," extra "}"
#define NS_ALL "'namespaces':[{'type':'user'},{'type':'mount'}]"

static const struct {
	const char *config, *message;
} bad[] = {
	{ "{'ociVersion':", "config.json: unexpected end of data" },
	{ "['a']", "config.json: expected an object" },
	{ "{'root':{'path':'r'}," PROC "}", "config.json: ociVersion: is required" },
	{ "{'ociVersion':'2.0.0','root':{'path':'r'}," PROC "}",
	  "config.json: ociVersion: '2.0.0' is not supported (mvrc reads 1.x)" },
	{ "{'ociVersion':'1.0.2','root':{'path':'r'}}", "config.json: process: is required" },
	{ "{'ociVersion':'1.0.2'," PROC "}", "config.json: root: is required" },
	{ "{'ociVersion':'1.0.2','root':{'path':'r','readonly':'yes'}," PROC "}",
	  "config.json: root.readonly: expected a boolean, got a string" },
	{ P(",'args':'sh'"), "config.json: process.args: expected an array, got a string" },
	{ P(",'args':[]"), "config.json: process.args: needs at least one element" },
	{ P(",'args':['sh',1]"), "config.json: process.args[1]: expected a string" },
	{ P(",'cwd':'home'"), "config.json: process.cwd: 'home' is not an absolute path" },
	{ P(",'user':{'uid':'0','gid':0}"), "config.json: process.user.uid: expected an integer, got a string" },
	{ P(",'user':{'uid':-1,'gid':0}"), "config.json: process.user.uid: -1 is out of range [0, 4294967294]" },
	{ P(",'user':{'uid':0,'gid':0,'additionalGids':['x']}"),
	  "config.json: process.user.additionalGids[0]: expected a group id" },
	{ P(",'user':{'uid':0,'gid':0,'username':'root'}"), "config.json: process.user.username: not supported" },
	{ P(",'terminal':1"), "config.json: process.terminal: expected a boolean, got an integer" },
	{ P(",'capabilities':{'bounding':['CAP_FLY']}"),
	  "config.json: process.capabilities.bounding[0]: unknown capability 'CAP_FLY'" },
	{ P(",'rlimits':[{'type':'RLIMIT_WINGS','soft':1,'hard':1}]"),
	  "config.json: process.rlimits[0].type: unknown rlimit 'RLIMIT_WINGS'" },
	{ P(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':2,'hard':1}]"),
	  "config.json: process.rlimits[0]: soft is above hard" },
	{ P(",'apparmorProfile':'docker-default'"), "config.json: process.apparmorProfile: not supported" },
	{ P(",'oomScoreAdj':1001"), "config.json: process.oomScoreAdj: 1001 is out of range [-1000, 1000]" },
	{ T("'mounts':[{'destination':'/x','type':'tmpfs','source':'tmpfs','options':['fast']}]"),
	  "config.json: mounts[0].options[0]: unknown mount option 'fast'" },
	{ T("'mounts':[{'destination':'x','type':'tmpfs'}]"),
	  "config.json: mounts[0].destination: 'x' is not an absolute path" },
	{ T("'mounts':[{'destination':'/x','type':'overlay','source':'o'}]"),
	  "config.json: mounts[0].type: 'overlay' not supported" },
	{ T("'mounts':[{'destination':'/x','type':'bind','options':['rbind']}]"),
	  "config.json: mounts[0]: a bind mount needs a source" },
	{ T("'mounts':{'destination':'/x'}"), "config.json: mounts: expected an array, got an object" },
	{ T("'hostname':'box'"), "config.json: hostname: needs a new uts namespace in linux.namespaces" },
	{ T("'domainname':'example.org'"), "config.json: domainname: not supported" },
	{ T("'hooks':{'prestart':[{'path':'hook'}]}"), "config.json: hooks.prestart[0]: path 'hook' is not absolute" },
	{ T("'hooks':{'poststop':[{'path':'/h','timeout':0}]}"),
	  "config.json: hooks.poststop[0].timeout: 0 is out of range [1, 2147483647]" },
	{ T("'annotations':{'a':1}"), "config.json: annotations.a: expected a string" },
	{ L("'namespaces':[{'type':'sandbox'}]"), "config.json: linux.namespaces[0].type: unknown namespace type 'sandbox'" },
	{ L("'namespaces':[{'type':'time'}]"), "config.json: linux.namespaces[0].type: time namespaces are not supported" },
	{ L("'namespaces':[{'type':'pid'},{'type':'pid'}]"),
	  "config.json: linux.namespaces[1].type: namespace 'pid' is listed twice" },
	{ L("'namespaces':[{'type':'network','path':'net'}]"),
	  "config.json: linux.namespaces[0]: path 'net' is not absolute" },
	{ L("'namespaces':[{'type':'user','path':'/proc/1/ns/user'}]"),
	  "config.json: linux.namespaces[0]: joining a user namespace by path is not supported" },
	{ L("'namespaces':[{'type':'pid','path':'/proc/1/ns/pid'}]"),
	  "config.json: linux.namespaces[0]: joining a pid namespace by path is not supported" },
	{ L(NS_ALL ",'uidMappings':[{'containerID':0,'hostID':1000,'size':0}]"),
	  "config.json: linux.uidMappings[0].size: 0 is out of range [1, 4294967295]" },
	{ L("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
	  "config.json: linux.uidMappings: needs a new user namespace" },
	{ L("'intelRdt':{'closID':'x'}"), "config.json: linux.intelRdt: not supported" },
	{ L("'personality':{'domain':'LINUX32'}"), "config.json: linux.personality: not supported" },
	{ L("'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229}]"),
	  "config.json: linux.devices[0]: device /dev/fuse: not supported (only mvrc's standard /dev nodes)" },
	{ L("'resources':{'memory':{'limit':1048576,'swap':3145728}}"),
	  "config.json: linux.resources.memory.swap: 3145728 is not supported: use -1 (no swap limit), "
	  "the memory limit (no swap) or twice it (as much swap as memory)" },
	{ L("'resources':{'memory':{'swap':1048576}}"),
	  "config.json: linux.resources.memory.swap: 1048576 needs memory.limit" },
	{ L("'resources':{'blockIO':{'weight':10}}"), "config.json: linux.resources.blockIO: not supported" },
	{ L("'resources':{'cpu':{'cpus':'0-1'}}"), "config.json: linux.resources.cpu.cpus: not supported" },
	{ L("'resources':{'pids':{'limit':'many'}}"),
	  "config.json: linux.resources.pids.limit: expected an integer, got a string" },
	{ L("'namespaces':[{'type':'uts'}],'sysctl':{'kernel.panic':'1'}"),
	  "config.json: linux.sysctl.kernel.panic: not allowed: it is not in a namespace of the container's own" },
	{ L("'sysctl':{'net.ipv4.ip_forward':'1'}"),
	  "config.json: linux.sysctl.net.ipv4.ip_forward: not allowed: it is not in a namespace of the container's own" },
	{ L("'namespaces':[{'type':'ipc'}],'sysctl':{'kernel.shmmax':65536}"),
	  "config.json: linux.sysctl.kernel.shmmax: expected a string" },
	{ L("'rootfsPropagation':'sideways'"), "config.json: linux.rootfsPropagation: unknown propagation 'sideways'" },
	{ L("'maskedPaths':'/proc/kcore'"), "config.json: linux.maskedPaths: expected an array, got a string" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_EXPLODE'}"),
	  "config.json: linux.seccomp.defaultAction: unknown action 'SCMP_ACT_EXPLODE'" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY'}"),
	  "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY: not supported" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/run/sock'}"),
	  "config.json: linux.seccomp.listenerPath: not supported" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['x86_64']}"),
	  "config.json: linux.seccomp.architectures[0]: unknown architecture 'x86_64'" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV']}"),
	  "config.json: linux.seccomp.flags[0]: 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV' not supported" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO',"
	    "'args':[{'index':0,'value':1,'op':'SCMP_CMP_ABOUT'}]}]}"),
	  "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator 'SCMP_CMP_ABOUT'" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO',"
	    "'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}"),
	  "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range [0, 5]" },
	{ L("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'action':'SCMP_ACT_ERRNO'}]}"),
	  "config.json: linux.seccomp.syscalls[0]: names is required" },
};

/* memory.swap is memory + swap: three values mvrc enforces. */
START_TEST(memory_swap_takes_the_three_meanings_mvrc_enforces)
{
	static const struct {
		const char *swap;
		int64_t recorded;
	} cases[] = { { "2097152", 0 }, { "-1", -1 }, { "1048576", 1048576 }, { "0", 0 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct container c;
		struct err e = { 0 };
		char text[512];

		snprintf(text, sizeof(text), L("'resources':{'memory':{'limit':1048576,'swap':%s}}"),
			 cases[i].swap);
		ck_assert_int_eq(parse(text, &c, &e), 0);
		ck_assert_int_eq(c.resources.memory, 1048576);
		ck_assert_int_eq(c.resources.memory_swap, cases[i].recorded);
		container_free(&c);
	}
}
END_TEST

START_TEST(bad_input_is_an_error_naming_the_field)
{
	struct container c;
	struct err e = { 0 };

	ck_assert_int_eq(parse(bad[_i].config, &c, &e), -1);
	ck_assert_int_eq(e.status, ERR_STATUS_MVRC);
	ck_assert_str_eq(e.what, bad[_i].message);
	container_free(&c);
}
END_TEST

START_TEST(process_json_for_exec)
{
	struct process p = { 0 };
	struct err e = { 0 };
	char *s = json("{'args':['ps'],'cwd':'/tmp','env':['A=b'],'user':{'uid':5,'gid':6},"
		       "'capabilities':{'bounding':['CAP_KILL']}}");

	ck_assert_msg(oci_config_parse_process(s, &p, &e) == 0, "%s", e.what);
	ck_assert_str_eq(p.argv[0], "ps");
	ck_assert_str_eq(p.cwd, "/tmp");
	ck_assert_uint_eq(p.uid, 5);
	ck_assert_uint_eq(p.caps.bounding, 1u << 5);
	free(s);
	s = json("{'args':['ps'],'user':{'uid':5,'gid':6}}");
	ck_assert_int_eq(oci_config_parse_process(s, &p, &e), -1);
	ck_assert_str_eq(e.what, "config.json: process: cwd is required");
	free(s);
	free(p.cwd);
	free(p.rlimits);
	free(p.additional_gids);
	for (size_t i = 0; p.argv && p.argv[i]; i++)
		free(p.argv[i]);
	free(p.argv);
	for (size_t i = 0; p.env && p.env[i]; i++)
		free(p.env[i]);
	free(p.env);
}
END_TEST

Suite *oci_suite(void)
{
	Suite *s = suite_create("oci_config");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, minimal_config_fills_the_description);
	tcase_add_test(tc, full_config_fills_every_field);
	tcase_add_test(tc, unknown_properties_are_ignored_as_the_spec_requires);
	tcase_add_test(tc, empty_unsupported_fields_ask_for_nothing);
	tcase_add_test(tc, memory_swap_takes_the_three_meanings_mvrc_enforces);
	tcase_add_loop_test(tc, bad_input_is_an_error_naming_the_field, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, process_json_for_exec);
	suite_add_tcase(s, tc);
	return s;
}
