// The templates' names and descriptions in Simplified Chinese, by file under examples/. The flow
// files carry English, which the CLI and the other tools show; the gallery shows these to a
// reader who chose Chinese, and a flow made from a template takes the name the reader saw.
// TemplatesGallery.test.ts fails when a template has no entry here.
export const templateTextsZhCn: Readonly<Record<string, { readonly name: string; readonly description: string }>> = {
  'agent/approval-before-tool.json': {
    name: '工具执行前的人工审批',
    description:
      'ReAct 智能体起草一封客户邮件并调用 send_email；这次调用先等待人工处理：批准、修改参数后执行，或附理由拒绝（模型会读到理由）。之后工具才会执行。使用脚本模型，可离线运行。',
  },
  'agent/checkout-with-subflow.json': {
    name: '带子流程的结账',
    description: '结账流程把 code-and-template 流程当作子流程复用：传入订单明细，取回收据和总额，再由模板向客户致谢。',
  },
  'agent/code-and-template.json': {
    name: '订单收据',
    description: '沙箱中的 JavaScript 代码节点根据订单明细计算小计、税额和总额，作为通道更新返回；模板节点再用这些通道生成收据。',
  },
  'agent/http-with-fallback.json': {
    name: '带兜底的汇率查询',
    description: '通过 HTTP 获取汇率，按退避策略最多尝试三次；`onError: "route"` 让请求节点多出 `error` 端口，仍然失败的请求会走向兜底消息，而不是让运行失败。',
  },
  'agent/human-approval.json': {
    name: '退款审批',
    description: '准备一份退款申请，暂停等待人工批准或拒绝（答案中的 `approved` 和 `comment` 写入同名通道），然后给客户写出相应的回复。',
  },
  'agent/loop-counter.json': {
    name: '循环计数',
    description: '最小的带环流程：赋值节点给 `count` 加一，条件节点在 `count < 5` 时循环回去，因此运行五轮后以 count = 5 结束。',
  },
  'agent/map-over-list.json': {
    name: '发票明细合计',
    description: '映射节点为每一行订单并行运行一次代码工作节点；每次运行以 `item` 看到自己的那一行并返回更新，映射按顺序把更新收集到 `results`。最后由赋值节点求和得到发票总额。',
  },
  'agent/parallel-join.json': {
    name: '旅行规划',
    description: '分出三条并行分支（行程、预算、行李清单）再汇合：汇总节点设置了 `join: "all"`，因此会在每条分支都写好自己的通道之后只运行一次。',
  },
  'agent/plan-and-execute.json': {
    name: '先计划后执行',
    description: '规划者把问题拆成若干步骤（JSON），映射节点让执行者并行完成每一步，最后由撰写者根据各步结果作答。使用脚本模型，可离线运行；把模型指向某个服务商即可使用真实模型。',
  },
  'agent/rag-qa.json': {
    name: 'RAG 问答',
    description:
      '用知识库中的段落回答中文或英文问题：检索步骤在 `loomflow-handbook` 知识库中找出最相关的段落，模型只依据这些段落作答并注明出处。请先用附带的文档创建知识库：loomflow kb create loomflow-handbook && loomflow kb add loomflow-handbook examples/agent/rag-docs/*.md',
  },
  'agent/react-http-code.json': {
    name: '带 HTTP 和代码工具的 ReAct 智能体',
    description:
      'LangGraph 预置的 ReAct 智能体：模型推理，调用网络 API（HTTP 工具）和一个计算（沙箱代码工具），读取结果后作答，最多 6 轮。网络 API 无法访问（离线）时，错误会作为工具的回答交给模型，智能体用已有信息继续。使用脚本模型，可离线运行。',
  },
  'agent/reflection-loop.json': {
    name: '反思循环',
    description: '生成、评审、修改：撰写者起草一段产品介绍，评审者用 JSON（approved、feedback）给出意见，撰写者反复修改，直到评审通过或满三轮。使用脚本模型，可离线运行；把模型指向某个服务商即可使用真实模型。',
  },
  'agent/support-router.json': {
    name: '客服分流',
    description:
      '模型把客户的问题归类为退款申请、技术问题或其他；每个意图是分类节点的一个输出端口，各自连到带专属指令的大模型节点。回复通过 messages 归并器累积在 `messages` 中。模型为脚本模型，可离线运行；为它们配置服务商即可使用真实模型。',
  },
  'agent/tool-assistant.json': {
    name: '会用工具的助手',
    description: '一个调用工具的助手：模型的回复要么直接回答（out），要么调用工具（tools 端口）；"工具"节点在代码沙箱中执行调用并把结果交回，模型据此作答。这是画出来的 LangGraph 工具调用循环。使用脚本模型，可离线运行；把模型指向某个服务商即可使用真实模型。',
  },
  'bpmn/expense-approval.json': {
    name: '费用报销审批',
    description: '员工提交报销申请（金额和事由）；经理审批，超过 5000 欧元的还要总监审批，然后由财务审批；批准的申请付款并通知员工，任何一步被拒绝都会结束流程。一个池，每个角色一条泳道：员工、审批人和财务（财务任务交给泳道对应的组）。',
  },
  'bpmn/countersign.json': {
    name: '会签',
    description:
      '提案需要会签：输入中列出的每位审批人同时各自收到一个任务（对列表的并行多实例用户任务），只有全部同意提案才通过。第一个拒绝会关闭其余未完成的任务（完成条件）。随后业务规则任务根据收集到的审批结果决定结论，通过的提案被发布。',
  },
  'bpmn/incident-escalation.json': {
    name: '故障升级',
    description:
      '客服对上报的故障进行分级；分级超过 30 分钟时，一个非中断定时器在分级继续进行的同时升级给值班经理。包容网关通知所有条件成立的对象。值班工程师在子流程中处理故障；健康检查失败会以 FIX_FAILED 错误结束子流程，错误边界事件捕获后把故障转交给工程负责人。',
  },
  'bpmn/order-fulfilment.json': {
    name: '订单履约',
    description: '脚本任务计算订单总额；随后并行网关同时扣款、让仓库拣货并发送确认邮件，第二个并行网关等待这三件事全部完成。定时器等到快递的取件时段，再把包裹交出。',
  },
  'bpmn/payment-reminder.json': {
    name: '付款提醒',
    description: '发送发票后，事件网关等待先到的一方：客户付款（按发票号关联的消息）或 14 天定时器。每次定时器先到就发一次提醒并再次等待；三次提醒都无回应时，发票转交催收。',
  },
};
